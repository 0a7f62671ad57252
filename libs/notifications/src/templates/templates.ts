/** R-NOT: every e-mail exists in French (default) and English. A template is a pure function of its data. */
export type Locale = 'fr' | 'en';

export interface RenderedMail {
  subject: string;
  text: string;
}

type Render<D> = (data: D) => RenderedMail;

export interface TemplateData {
  invitation: { firstName: string; tenantName: string; link: string; expiresAt: string };
  'password-changed': { firstName: string; at: string };
  'account-locked': { firstName: string; until: string };
  'signature-submitted': { contractor: string; document: string; version: string; signer: string };
  'signature-decided': { contractor: string; document: string; version: string; decision: 'validated' | 'rejected'; reason: string | null };
  'resign-reminder': { contractor: string; document: string; version: string; deadline: string; daysLeft: number };
  'resign-overdue': { contractor: string; document: string; version: string; deadline: string };
  'attestation-required': { contractor: string; prestation: string; endedOn: string; days: number };
  'attestation-overdue': { contractor: string; prestation: string; endedOn: string; days: number };
  'attestation-received': { contractor: string; prestation: string; sha256: string };
  'account-suspended': { person: string; contractor: string; reason: string; resumeOn: string | null };
  'account-deactivated': { person: string; contractor: string; reason: string; effectiveOn: string };
  'incident-reported': { contractor: string; kind: string; description: string; reporter: string; person: string | null; suspended: boolean };
  'window-requested': { contractor: string; nature: string; startsAt: string; endsAt: string; emergency: boolean; justification: string | null; usageConflict: boolean; risks: string; availabilityImpact: string };
  'window-decided': { contractor: string; nature: string; startsAt: string; endsAt: string; decision: string; reason: string | null };
  'intervention-started': { contractor: string; nature: string; person: string; resource: string; at: string };
  'report-filed': { contractor: string; nature: string; startsAt: string; endsAt: string; version: number; operations: string; intervenants: string; actions: string; difficulties: string; referentsInformed: string };
  'report-overdue': { contractor: string; nature: string; startsAt: string; dueOn: string; daysLate: number };
}

export type TemplateName = keyof TemplateData;

const fr: { [K in TemplateName]: Render<TemplateData[K]> } = {
  invitation: (d) => ({
    subject: `Invitation à ${d.tenantName}`,
    text: `Bonjour ${d.firstName},\n\nUn compte nominatif vous a été ouvert pour ${d.tenantName}.\n` +
      `Choisissez votre mot de passe avec ce lien à usage unique (valable jusqu'au ${d.expiresAt}) :\n${d.link}\n\n` +
      `À votre première connexion, vous enrôlerez une application d'authentification (TOTP) : elle est obligatoire.\n`,
  }),
  'password-changed': (d) => ({
    subject: 'Votre mot de passe a été modifié',
    text: `Bonjour ${d.firstName},\n\nVotre mot de passe a été modifié le ${d.at}. Vos autres sessions ont été fermées.\n` +
      `Si vous n'êtes pas à l'origine de ce changement, prévenez immédiatement votre contact sécurité.\n`,
  }),
  'account-locked': (d) => ({
    subject: 'Votre compte est temporairement verrouillé',
    text: `Bonjour ${d.firstName},\n\nTrop de tentatives de connexion ont échoué. Votre compte est verrouillé jusqu'au ${d.until}.\n` +
      `Si ces tentatives ne viennent pas de vous, prévenez votre contact sécurité.\n`,
  }),
  'signature-submitted': (d) => ({
    subject: `Signature à valider : ${d.document} ${d.version} (${d.contractor})`,
    text: `Bonjour,\n\n${d.contractor} a déposé le document « ${d.document} » (version ${d.version}) signé par ${d.signer}.\n` +
      `Vérifiez le fichier signé et paraphé, puis validez ou rejetez la signature (article 2 de la charte).\n`,
  }),
  'signature-decided': (d) => ({
    subject: d.decision === 'validated' ? `Signature validée : ${d.document} ${d.version}` : `Signature rejetée : ${d.document} ${d.version}`,
    text: d.decision === 'validated'
      ? `Bonjour,\n\nLa signature de « ${d.document} » (version ${d.version}) par ${d.contractor} est validée.\n`
      : `Bonjour,\n\nLa signature de « ${d.document} » (version ${d.version}) par ${d.contractor} est rejetée.\nMotif : ${d.reason}\n` +
        `Déposez un document corrigé, signé et paraphé sur toutes ses pages par votre représentant légal.\n`,
  }),
  'resign-reminder': (d) => ({
    subject: `À signer avant le ${d.deadline} : ${d.document} ${d.version}`,
    text: `Bonjour,\n\nUne nouvelle version de « ${d.document} » (${d.version}) doit être signée par le représentant légal de ${d.contractor} ` +
      `avant le ${d.deadline} (${d.daysLeft} jour(s)). Passé ce délai, les accès de votre société au SI seront suspendus.\n`,
  }),
  'resign-overdue': (d) => ({
    subject: `Accès suspendus : ${d.document} ${d.version} non signé`,
    text: `Bonjour,\n\nLe délai de signature de « ${d.document} » (${d.version}) a expiré le ${d.deadline}.\n` +
      `Les accès de ${d.contractor} au SI sont suspendus jusqu'à la signature et sa validation (article 2).\n`,
  }),
  'attestation-required': (d) => ({
    subject: `Attestation de destruction des données attendue : ${d.prestation}`,
    text: `Bonjour,\n\nLa prestation « ${d.prestation} » de ${d.contractor} a pris fin le ${d.endedOn}.\n` +
      `Conformément à l'article 10 de la charte, déposez l'attestation sur l'honneur de destruction des données de l'établissement.\n`,
  }),
  'attestation-overdue': (d) => ({
    subject: `Attestation de destruction manquante depuis ${d.days} jours : ${d.contractor}`,
    text: `Bonjour,\n\n${d.contractor} n'a pas déposé l'attestation de destruction des données pour « ${d.prestation} », ` +
      `terminée le ${d.endedOn} (${d.days} jours).\n`,
  }),
  'attestation-received': (d) => ({
    subject: `Attestation de destruction reçue : ${d.contractor}`,
    text: `Bonjour,\n\n${d.contractor} a déposé l'attestation de destruction des données pour « ${d.prestation} ».\nSHA-256 : ${d.sha256}\n`,
  }),
  'account-suspended': (d) => ({
    subject: `Compte suspendu : ${d.person} (${d.contractor})`,
    text: `Bonjour,\n\nLe compte de ${d.person} (${d.contractor}) est suspendu. Motif : ${d.reason}.\n` +
      (d.resumeOn ? `Il reprendra automatiquement le ${d.resumeOn}.\n` : `Il reprendra sur décision de la Direction du Numérique.\n`),
  }),
  'account-deactivated': (d) => ({
    subject: `Compte désactivé : ${d.person} (${d.contractor})`,
    text: `Bonjour,\n\nLe compte de ${d.person} (${d.contractor}) est désactivé depuis le ${d.effectiveOn}. Motif : ${d.reason}.\n` +
      `Ses sessions sont fermées et ses interventions à venir annulées (article 35 de la charte).\n`,
  }),
  'incident-reported': (d) => ({
    subject: `Signalement de sécurité (${d.kind}) : ${d.contractor}`,
    text: `Bonjour,\n\n${d.reporter} a signalé un événement de sécurité (${d.kind}) pour ${d.contractor}.\n\n${d.description}\n` +
      (d.person ? `\nCompte concerné : ${d.person}.${d.suspended ? ' Il a été suspendu immédiatement.' : ''}\n` : ''),
  }),
  'window-requested': (d) => ({
    subject: d.emergency ? `Intervention en urgence déclarée : ${d.contractor}` : `Demande d'intervention à approuver : ${d.contractor}`,
    text: `Bonjour,\n\n${d.contractor} ${d.emergency ? 'a déclaré une intervention en urgence' : 'demande une fenêtre d\'intervention'} ` +
      `du ${d.startsAt} au ${d.endsAt}.\nNature : ${d.nature}\nRisques annoncés : ${d.risks}\nImpact sur la disponibilité : ${d.availabilityImpact}\n` +
      (d.justification ? `Justification : ${d.justification}\n` : '') +
      (d.usageConflict ? `Attention : la fenêtre tombe dans une période d'utilisation ou de gel ; l'approbation demande une dérogation explicite.\n` : ''),
  }),
  'window-decided': (d) => ({
    subject: `Intervention ${d.decision} : ${d.nature}`,
    text: `Bonjour,\n\nL'intervention « ${d.nature} » de ${d.contractor} (du ${d.startsAt} au ${d.endsAt}) est ${d.decision}.\n` +
      (d.reason ? `Motif : ${d.reason}\n` : ''),
  }),
  'intervention-started': (d) => ({
    subject: `Intervention commencée : ${d.contractor}`,
    text: `Bonjour,\n\nL'intervention « ${d.nature} » de ${d.contractor} a commencé le ${d.at} : ${d.person} accède à ${d.resource}.\n`,
  }),
  'report-filed': (d) => ({
    subject: `Compte rendu d'intervention (v${d.version}) : ${d.contractor}`,
    text: `Compte rendu de l'intervention « ${d.nature} » (${d.startsAt} – ${d.endsAt}), ${d.contractor}.\n\n` +
      `Opérations réalisées : ${d.operations}\nIntervenants : ${d.intervenants}\nActions : ${d.actions}\n` +
      `Difficultés rencontrées : ${d.difficulties}\nRéférents informés : ${d.referentsInformed}\n`,
  }),
  'report-overdue': (d) => ({
    subject: `Compte rendu en retard : ${d.nature} (${d.contractor})`,
    text: `Bonjour,\n\nLe compte rendu de l'intervention « ${d.nature} » du ${d.startsAt} était attendu le ${d.dueOn} (${d.daysLate} jour(s) de retard).\n` +
      `Tant qu'il manque, les nouvelles demandes d'intervention de ${d.contractor} sont refusées (articles 42 et 43).\n`,
  }),
};

const en: { [K in TemplateName]: Render<TemplateData[K]> } = {
  invitation: (d) => ({
    subject: `Invitation to ${d.tenantName}`,
    text: `Hello ${d.firstName},\n\nA nominative account has been opened for you at ${d.tenantName}.\n` +
      `Choose your password with this one-time link (valid until ${d.expiresAt}):\n${d.link}\n\n` +
      `At your first sign-in you will enrol an authenticator app (TOTP): it is mandatory.\n`,
  }),
  'password-changed': (d) => ({
    subject: 'Your password was changed',
    text: `Hello ${d.firstName},\n\nYour password was changed on ${d.at}. Your other sessions were closed.\n` +
      `If you did not do this, tell your security contact at once.\n`,
  }),
  'account-locked': (d) => ({
    subject: 'Your account is temporarily locked',
    text: `Hello ${d.firstName},\n\nToo many sign-in attempts failed. Your account is locked until ${d.until}.\n` +
      `If these attempts were not yours, tell your security contact.\n`,
  }),
  'signature-submitted': (d) => ({
    subject: `Signature to validate: ${d.document} ${d.version} (${d.contractor})`,
    text: `Hello,\n\n${d.contractor} uploaded "${d.document}" (version ${d.version}) signed by ${d.signer}.\n` +
      `Check the signed and initialled file, then validate or reject the signature (charter article 2).\n`,
  }),
  'signature-decided': (d) => ({
    subject: d.decision === 'validated' ? `Signature validated: ${d.document} ${d.version}` : `Signature rejected: ${d.document} ${d.version}`,
    text: d.decision === 'validated'
      ? `Hello,\n\nThe signature of "${d.document}" (version ${d.version}) by ${d.contractor} is validated.\n`
      : `Hello,\n\nThe signature of "${d.document}" (version ${d.version}) by ${d.contractor} is rejected.\nReason: ${d.reason}\n` +
        `Upload a corrected document, signed and initialled on every page by your legal representative.\n`,
  }),
  'resign-reminder': (d) => ({
    subject: `To sign before ${d.deadline}: ${d.document} ${d.version}`,
    text: `Hello,\n\nA new version of "${d.document}" (${d.version}) must be signed by the legal representative of ${d.contractor} ` +
      `before ${d.deadline} (${d.daysLeft} day(s)). After that date, your company's access to the IS is suspended.\n`,
  }),
  'resign-overdue': (d) => ({
    subject: `Access suspended: ${d.document} ${d.version} not signed`,
    text: `Hello,\n\nThe deadline to sign "${d.document}" (${d.version}) passed on ${d.deadline}.\n` +
      `The access of ${d.contractor} to the IS is suspended until it is signed and validated (article 2).\n`,
  }),
  'attestation-required': (d) => ({
    subject: `Data-destruction attestation due: ${d.prestation}`,
    text: `Hello,\n\nThe prestation "${d.prestation}" of ${d.contractor} ended on ${d.endedOn}.\n` +
      `Under article 10 of the charter, upload the sworn attestation that the establishment's data was destroyed.\n`,
  }),
  'attestation-overdue': (d) => ({
    subject: `Data-destruction attestation missing for ${d.days} days: ${d.contractor}`,
    text: `Hello,\n\n${d.contractor} has not uploaded the data-destruction attestation for "${d.prestation}", ` +
      `ended on ${d.endedOn} (${d.days} days).\n`,
  }),
  'attestation-received': (d) => ({
    subject: `Data-destruction attestation received: ${d.contractor}`,
    text: `Hello,\n\n${d.contractor} uploaded the data-destruction attestation for "${d.prestation}".\nSHA-256: ${d.sha256}\n`,
  }),
  'account-suspended': (d) => ({
    subject: `Account suspended: ${d.person} (${d.contractor})`,
    text: `Hello,\n\nThe account of ${d.person} (${d.contractor}) is suspended. Reason: ${d.reason}.\n` +
      (d.resumeOn ? `It resumes on its own on ${d.resumeOn}.\n` : `It resumes when the digital direction decides so.\n`),
  }),
  'account-deactivated': (d) => ({
    subject: `Account deactivated: ${d.person} (${d.contractor})`,
    text: `Hello,\n\nThe account of ${d.person} (${d.contractor}) is deactivated as of ${d.effectiveOn}. Reason: ${d.reason}.\n` +
      `Its sessions are closed and its future interventions cancelled (charter article 35).\n`,
  }),
  'incident-reported': (d) => ({
    subject: `Security report (${d.kind}): ${d.contractor}`,
    text: `Hello,\n\n${d.reporter} reported a security event (${d.kind}) for ${d.contractor}.\n\n${d.description}\n` +
      (d.person ? `\nAccount concerned: ${d.person}.${d.suspended ? ' It was suspended at once.' : ''}\n` : ''),
  }),
  'window-requested': (d) => ({
    subject: d.emergency ? `Emergency intervention declared: ${d.contractor}` : `Intervention request to approve: ${d.contractor}`,
    text: `Hello,\n\n${d.contractor} ${d.emergency ? 'declared an emergency intervention' : 'requests an intervention window'} ` +
      `from ${d.startsAt} to ${d.endsAt}.\nNature: ${d.nature}\nAnnounced risks: ${d.risks}\nImpact on availability: ${d.availabilityImpact}\n` +
      (d.justification ? `Justification: ${d.justification}\n` : '') +
      (d.usageConflict ? `Note: the window falls in a usage period or a blackout; approving it needs an explicit override.\n` : ''),
  }),
  'window-decided': (d) => ({
    subject: `Intervention ${d.decision}: ${d.nature}`,
    text: `Hello,\n\nThe intervention "${d.nature}" of ${d.contractor} (from ${d.startsAt} to ${d.endsAt}) is ${d.decision}.\n` +
      (d.reason ? `Reason: ${d.reason}\n` : ''),
  }),
  'intervention-started': (d) => ({
    subject: `Intervention started: ${d.contractor}`,
    text: `Hello,\n\nThe intervention "${d.nature}" of ${d.contractor} started at ${d.at}: ${d.person} is reaching ${d.resource}.\n`,
  }),
  'report-filed': (d) => ({
    subject: `Intervention report (v${d.version}): ${d.contractor}`,
    text: `Report of the intervention "${d.nature}" (${d.startsAt} – ${d.endsAt}), ${d.contractor}.\n\n` +
      `Operations performed: ${d.operations}\nIntervenants: ${d.intervenants}\nActions: ${d.actions}\n` +
      `Difficulties: ${d.difficulties}\nReferents informed: ${d.referentsInformed}\n`,
  }),
  'report-overdue': (d) => ({
    subject: `Intervention report overdue: ${d.nature} (${d.contractor})`,
    text: `Hello,\n\nThe report of the intervention "${d.nature}" of ${d.startsAt} was due on ${d.dueOn} (${d.daysLate} day(s) late).\n` +
      `Until it is filed, new intervention requests of ${d.contractor} are refused (articles 42 and 43).\n`,
  }),
};

const TEMPLATES: Record<Locale, typeof fr> = { fr, en };

export function renderMail<K extends TemplateName>(name: K, locale: Locale, data: TemplateData[K]): RenderedMail {
  const set = TEMPLATES[locale] ?? TEMPLATES.fr;
  const render = set[name] as Render<TemplateData[K]> | undefined;
  if (!render) throw new Error(`No e-mail template "${name}"`);
  return render(data);
}
