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
  /** `byOperator`: the platform operator reset a DSI's (docs/guide.md "Lost phone, lost invitation"). `link`: the one-time enrolment link. */
  'mfa-reset': { firstName: string; at: string; reason: string; link: string; expiresAt: string; byOperator?: boolean };
  'mfa-reset-by-operator': { person: string; email: string; tenant: string; operator: string; reason: string; at: string };
  'mfa-reset-requested': { person: string; email: string; userId: string; requester: string; reason: string; at: string };
  'signature-submitted': { contractor: string; document: string; version: string; signer: string };
  'signature-decided': { contractor: string; document: string; version: string; decision: 'validated' | 'rejected'; reason: string | null };
  'resign-reminder': { contractor: string; document: string; version: string; deadline: string; daysLeft: number };
  'resign-overdue': { contractor: string; document: string; version: string; deadline: string };
  'attestation-required': { contractor: string; prestation: string; endedOn: string; days: number };
  'attestation-overdue': { contractor: string; prestation: string; endedOn: string; days: number };
  'attestation-received': { contractor: string; prestation: string; sha256: string };
  'account-suspended': { person: string; contractor: string; reason: string; resumeOn: string | null };
  'account-deactivated': { person: string; contractor: string; reason: string; effectiveOn: string };
  'account-reinstated': { person: string; contractor: string; departedOn: string; reason: string; by: string };
  'incident-reported': { contractor: string; kind: string; description: string; reporter: string; person: string | null; suspended: boolean };
  'window-requested': { contractor: string; nature: string; startsAt: string; endsAt: string; emergency: boolean; justification: string | null; usageConflict: boolean; risks: string; availabilityImpact: string };
  'window-decided': { contractor: string; nature: string; startsAt: string; endsAt: string; decision: string; reason: string | null };
  'intervention-started': { contractor: string; nature: string; person: string; resource: string; at: string };
  'report-filed': { contractor: string; nature: string; startsAt: string; endsAt: string; version: number; operations: string; intervenants: string; actions: string; difficulties: string; referentsInformed: string };
  'report-overdue': { contractor: string; nature: string; startsAt: string; dueOn: string; daysLate: number };
  'review-reminder': { contractor: string; dueOn: string; undecided: number; daysLeft: number };
  'review-overdue': { contractor: string; dueOn: string; undecided: number; daysLeft: number };
  'anomalies-detected': { count: number; more: number; timeZone: string; items: { kind: string; at: string; account: string; resource: string; detail: string }[] };
  'weekly-digest': {
    tenant: string; week: string; today: string;
    pending: { accounts: number; habilitations: number; signatures: number; interventions: number };
    overdueReports: { count: number; items: { contractor: string; nature: string; dueOn: string; daysLate: number }[] };
    overdueReviews: { count: number; items: { contractor: string; dueOn: string; daysLate: number; undecided: number }[] };
    anomalies: { count: number; byKind: { kind: string; count: number }[] };
    gatesClosingSoon: { count: number; items: { contractor: string; document: string; version: string; deadline: string; daysLeft: number }[] };
    /** R-INT: the heads of the tenant's chains, a copy outside the database to compare a later verify with. */
    heads: { chain: 'audit' | 'journal'; seq: number; hash: string }[];
  };
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
      `D'ici là, la connexion répond « e-mail ou mot de passe incorrect », même avec le bon mot de passe : ` +
      `ce message est le seul à vous signaler le verrouillage, pour que personne d'autre ne l'apprenne.\n` +
      `Si ces tentatives ne viennent pas de vous, prévenez votre contact sécurité.\n`,
  }),
  'mfa-reset': (d) => ({
    subject: 'Votre second facteur (TOTP) a été réinitialisé',
    text: `Bonjour ${d.firstName},\n\n${d.byOperator ? "L'opérateur de la plateforme Prestagate" : 'La Direction du Numérique'} a réinitialisé votre second facteur d'authentification le ${d.at}.\n` +
      `Motif : ${d.reason}\n\nVos sessions ont été fermées et vos codes de secours ne sont plus valables. Pour enrôler de nouveau ` +
      `une application d'authentification (TOTP), ouvrez ce lien à usage unique et connectez-vous avec votre mot de passe :\n${d.link}\n` +
      `Ce lien expire le ${d.expiresAt} ; sans lui, votre mot de passe seul ne suffit pas.\n` +
      `Si vous n'êtes pas à l'origine de cette demande, prévenez immédiatement la Direction du Numérique et votre contact sécurité.\n`,
  }),
  'mfa-reset-requested': (d) => ({
    subject: `Demande de réinitialisation du second facteur de ${d.person}`,
    text: `Bonjour,\n\n${d.requester} demande le ${d.at} la réinitialisation du second facteur (TOTP) de ${d.person} (${d.email}).\n` +
      `Motif : ${d.reason}\n\nVérifiez l'identité de la personne (rappel au numéro déclaré), puis réinitialisez :\n` +
      `POST /v1/users/${d.userId}/mfa/reset {reason}\nSi cette demande vous surprend, ne faites rien et contactez le prestataire.\n`,
  }),
  'mfa-reset-by-operator': (d) => ({
    subject: `Second facteur de ${d.person} réinitialisé par l'opérateur de la plateforme`,
    text: `Bonjour,\n\nL'opérateur de la plateforme (${d.operator}) a réinitialisé le ${d.at} le second facteur (TOTP) de ${d.person} (${d.email}), ` +
      `DSI de ${d.tenant}.\nMotif : ${d.reason}\n\nSes sessions ont été fermées ; à sa prochaine connexion, la personne enrôle une nouvelle ` +
      `application d'authentification. Le journal d'audit de l'établissement garde cette action (user.mfa_reset).\n` +
      `Si cette réinitialisation vous surprend, contactez l'opérateur de la plateforme et la personne sans attendre.\n`,
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
  'account-reinstated': (d) => ({
    subject: `Compte réintégré : ${d.person} (${d.contractor})`,
    text: `Bonjour,\n\n${d.by} (Direction du Numérique) a réintégré ${d.person} (${d.contractor}), parti(e) le ${d.departedOn}. Motif : ${d.reason}.\n` +
      `Le compte redevient actif dès que ses conditions sont remplies ; la personne peut se reconnecter.\n`,
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
  'anomalies-detected': (d) => ({
    subject: `Journal des connexions : ${d.count} anomalie(s) détectée(s)`,
    text: `Bonjour,\n\nLa corrélation du journal des connexions avec les fenêtres d'intervention, les habilitations et l'état des comptes ` +
      `a relevé ${d.count} anomalie(s) (article 41 de la charte) :\n\n` + d.items.map((i) => `- ${i.detail}\n`).join('') +
      (d.more ? `\n… et ${d.more} autre(s).\n` : '') + `\nToutes les anomalies sont consultables dans Prestagate (GET /v1/anomalies).\n`,
  }),
  'review-reminder': (d) => ({
    subject: `Revue annuelle des accès à compléter avant le ${d.dueOn} : ${d.contractor}`,
    text: `Bonjour,\n\nLa revue des personnes habilitées de ${d.contractor} (article 34 de la charte) attend encore ${d.undecided} décision(s).\n` +
      `Échéance : ${d.dueOn} (${d.daysLeft} jour(s)). Sans réponse, les accès non confirmés seront suspendus.\n`,
  }),
  'review-overdue': (d) => ({
    subject: `Revue annuelle des accès en retard : ${d.contractor}`,
    text: `Bonjour,\n\nLa revue des personnes habilitées de ${d.contractor} devait être rendue le ${d.dueOn} ; ${d.undecided} décision(s) manquent.\n` +
      `Passé le délai de grâce, les comptes non confirmés seront suspendus automatiquement (article 34).\n`,
  }),
  // R-DIG: one weekly e-mail to the DSI and the RSSI; every count is complete, each list shows its first lines.
  'weekly-digest': (d) => {
    const p = d.pending;
    const more = (count: number, shown: number) => (count > shown ? `  … et ${count - shown} autre(s)\n` : '');
    const kinds: Record<string, string> = {
      unknown_account: 'compte inconnu', inactive_account: 'compte suspendu, désactivé ou pas encore actif',
      outside_window: "hors de toute fenêtre d'intervention approuvée", out_of_scope: 'hors du périmètre déclaré', failed_login_burst: 'rafale de connexions échouées',
    };
    return {
      subject: `Synthèse hebdomadaire ${d.week} : ${d.tenant}`,
      text: `Bonjour,\n\nVoici la synthèse de la semaine ${d.week} pour ${d.tenant} (situation au ${d.today}).\n\n` +
        `Approbations en attente : ${p.accounts + p.habilitations + p.signatures + p.interventions}\n` +
        `  - comptes demandés : ${p.accounts}\n  - habilitations demandées : ${p.habilitations}\n` +
        `  - signatures à valider : ${p.signatures}\n  - interventions à approuver : ${p.interventions}\n\n` +
        `Comptes rendus d'intervention en retard : ${d.overdueReports.count}\n` +
        d.overdueReports.items.map((r) => `  - ${r.contractor} : « ${r.nature} », attendu le ${r.dueOn} (${r.daysLate} jour(s) de retard)\n`).join('') +
        more(d.overdueReports.count, d.overdueReports.items.length) +
        `\nRevues annuelles des accès en retard : ${d.overdueReviews.count}\n` +
        d.overdueReviews.items.map((r) => `  - ${r.contractor} : échéance ${r.dueOn} (${r.daysLate} jour(s) de retard), ${r.undecided} décision(s) manquante(s)\n`).join('') +
        more(d.overdueReviews.count, d.overdueReviews.items.length) +
        `\nAnomalies du journal des connexions (7 derniers jours) : ${d.anomalies.count}\n` +
        d.anomalies.byKind.map((a) => `  - ${kinds[a.kind] ?? a.kind} : ${a.count}\n`).join('') +
        `\nAccès qui se fermeront sous 14 jours faute de nouvelle signature : ${d.gatesClosingSoon.count}\n` +
        d.gatesClosingSoon.items.map((g) => `  - ${g.contractor} : « ${g.document} » ${g.version} à signer avant le ${g.deadline} (${g.daysLeft} jour(s))\n`).join('') +
        more(d.gatesClosingSoon.count, d.gatesClosingSoon.items.length) +
        `\nTêtes des chaînes de preuve (à conserver ; une vérification ultérieure doit les retrouver) :\n` +
        d.heads.map((h) => `  - ${h.chain === 'audit' ? "journal d'audit" : 'journal des connexions'} : n° ${h.seq}, ${h.hash}\n`).join('') +
        `\nLe détail est dans Prestagate (GET /v1/reviews/dashboard, /v1/anomalies, /v1/accounts, /v1/interventions).\n`,
    };
  },
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
      `Until then, sign-in answers "e-mail or password is not correct", even with the right password: ` +
      `this message is the only one that tells you of the lock, so that nobody else learns of it.\n` +
      `If these attempts were not yours, tell your security contact.\n`,
  }),
  'mfa-reset': (d) => ({
    subject: 'Your second factor (TOTP) was reset',
    text: `Hello ${d.firstName},\n\n${d.byOperator ? 'The operator of the Prestagate platform' : 'The digital department (DSI)'} reset your second authentication factor on ${d.at}.\n` +
      `Reason: ${d.reason}\n\nYour sessions were closed and your recovery codes no longer work. To enrol an authenticator ` +
      `app (TOTP) again, open this one-time link and sign in with your password:\n${d.link}\n` +
      `This link expires on ${d.expiresAt}; without it, your password alone is not enough.\n` +
      `If you did not ask for this, tell the digital department and your security contact at once.\n`,
  }),
  'mfa-reset-requested': (d) => ({
    subject: `Second factor reset requested for ${d.person}`,
    text: `Hello,\n\nOn ${d.at} ${d.requester} asked for the second factor (TOTP) of ${d.person} (${d.email}) to be reset.\n` +
      `Reason: ${d.reason}\n\nCheck who the person is (call back the number on record), then reset:\n` +
      `POST /v1/users/${d.userId}/mfa/reset {reason}\nIf this request surprises you, do nothing and contact the contractor.\n`,
  }),
  'mfa-reset-by-operator': (d) => ({
    subject: `Second factor of ${d.person} reset by the platform operator`,
    text: `Hello,\n\nOn ${d.at} the platform operator (${d.operator}) reset the second factor (TOTP) of ${d.person} (${d.email}), ` +
      `DSI of ${d.tenant}.\nReason: ${d.reason}\n\nTheir sessions were closed; at their next sign-in the person enrols a new ` +
      `authenticator app. The establishment's audit trail keeps this action (user.mfa_reset).\n` +
      `If this reset surprises you, contact the platform operator and the person at once.\n`,
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
  'account-reinstated': (d) => ({
    subject: `Account reinstated: ${d.person} (${d.contractor})`,
    text: `Hello,\n\n${d.by} (digital direction) reinstated ${d.person} (${d.contractor}), who left on ${d.departedOn}. Reason: ${d.reason}.\n` +
      `The account is active again as soon as its requirements are met; the person can sign in again.\n`,
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
  'anomalies-detected': (d) => {
    const kinds: Record<string, string> = {
      unknown_account: 'unknown account', inactive_account: 'suspended, deactivated or not yet active account', outside_window: 'outside any approved window',
      out_of_scope: 'outside the declared scope', failed_login_burst: 'burst of failed logins',
    };
    return {
      subject: `Connection journal: ${d.count} anomal${d.count > 1 ? 'ies' : 'y'} detected`,
      text: `Hello,\n\nCorrelating the connection journal with the intervention windows, habilitations and account states found ${d.count} ` +
        `anomal${d.count > 1 ? 'ies' : 'y'} (charter article 41):\n\n` +
        d.items.map((i) => `- ${kinds[i.kind] ?? i.kind}: ${i.account} on ${i.resource} at ${i.at} (${d.timeZone})\n`).join('') +
        (d.more ? `\n… and ${d.more} more.\n` : '') + `\nEvery anomaly is listed in Prestagate (GET /v1/anomalies).\n`,
    };
  },
  'review-reminder': (d) => ({
    subject: `Annual access review to complete before ${d.dueOn}: ${d.contractor}`,
    text: `Hello,\n\nThe review of the people authorised for ${d.contractor} (charter article 34) still waits for ${d.undecided} decision(s).\n` +
      `Due on ${d.dueOn} (${d.daysLeft} day(s)). Without an answer, the accesses not confirmed will be suspended.\n`,
  }),
  'review-overdue': (d) => ({
    subject: `Annual access review overdue: ${d.contractor}`,
    text: `Hello,\n\nThe review of the people authorised for ${d.contractor} was due on ${d.dueOn}; ${d.undecided} decision(s) are missing.\n` +
      `After the grace period, the accounts not confirmed are suspended automatically (article 34).\n`,
  }),
  'weekly-digest': (d) => {
    const p = d.pending;
    const more = (count: number, shown: number) => (count > shown ? `  … and ${count - shown} more\n` : '');
    const kinds: Record<string, string> = {
      unknown_account: 'unknown account', inactive_account: 'suspended, deactivated or not yet active account',
      outside_window: 'outside any approved window', out_of_scope: 'outside the declared scope', failed_login_burst: 'burst of failed logins',
    };
    return {
      subject: `Weekly digest ${d.week}: ${d.tenant}`,
      text: `Hello,\n\nHere is the digest of week ${d.week} for ${d.tenant} (as of ${d.today}).\n\n` +
        `Pending approvals: ${p.accounts + p.habilitations + p.signatures + p.interventions}\n` +
        `  - accounts requested: ${p.accounts}\n  - habilitations requested: ${p.habilitations}\n` +
        `  - signatures to validate: ${p.signatures}\n  - interventions to approve: ${p.interventions}\n\n` +
        `Overdue intervention reports: ${d.overdueReports.count}\n` +
        d.overdueReports.items.map((r) => `  - ${r.contractor}: "${r.nature}", due on ${r.dueOn} (${r.daysLate} day(s) late)\n`).join('') +
        more(d.overdueReports.count, d.overdueReports.items.length) +
        `\nOverdue annual access reviews: ${d.overdueReviews.count}\n` +
        d.overdueReviews.items.map((r) => `  - ${r.contractor}: due on ${r.dueOn} (${r.daysLate} day(s) late), ${r.undecided} decision(s) missing\n`).join('') +
        more(d.overdueReviews.count, d.overdueReviews.items.length) +
        `\nConnection journal anomalies (last 7 days): ${d.anomalies.count}\n` +
        d.anomalies.byKind.map((a) => `  - ${kinds[a.kind] ?? a.kind}: ${a.count}\n`).join('') +
        `\nAccess closing within 14 days unless re-signed: ${d.gatesClosingSoon.count}\n` +
        d.gatesClosingSoon.items.map((g) => `  - ${g.contractor}: "${g.document}" ${g.version} to sign before ${g.deadline} (${g.daysLeft} day(s))\n`).join('') +
        more(d.gatesClosingSoon.count, d.gatesClosingSoon.items.length) +
        `\nHeads of the evidence chains (keep them; a later verify must find them again):\n` +
        d.heads.map((h) => `  - ${h.chain === 'audit' ? 'audit trail' : 'connection journal'}: #${h.seq}, ${h.hash}\n`).join('') +
        `\nDetails are in Prestagate (GET /v1/reviews/dashboard, /v1/anomalies, /v1/accounts, /v1/interventions).\n`,
    };
  },
};

const TEMPLATES: Record<Locale, typeof fr> = { fr, en };

export function renderMail<K extends TemplateName>(name: K, locale: Locale, data: TemplateData[K]): RenderedMail {
  const set = TEMPLATES[locale] ?? TEMPLATES.fr;
  const render = set[name] as Render<TemplateData[K]> | undefined;
  if (!render) throw new Error(`No e-mail template "${name}"`);
  return render(data);
}
