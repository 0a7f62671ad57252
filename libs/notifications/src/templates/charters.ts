import type { TemplateSet } from './types';

type Names = 'signature-submitted' | 'signature-decided' | 'resign-reminder' | 'resign-overdue'
  | 'attestation-required' | 'attestation-overdue' | 'attestation-received';

/** Signatures (charters) and data-destruction attestations (prestations). */
export const fr: TemplateSet<Names> = {
  'signature-submitted': (d) => ({
    subject: `Signature à valider : ${d.document} ${d.version} (${d.contractor})`,
    text: `Bonjour,\n\n${d.contractor} a déposé le document « ${d.document} » (version ${d.version}) signé par ${d.signer}.\n` +
      `Vérifiez le fichier signé et paraphé, puis validez ou rejetez la signature (article 2 de la charte).\n`,
  }),
  'signature-decided': (d) => ({
    subject: d.decision === 'validated' ? `Signature validée : ${d.document} ${d.version}` : `Signature rejetée : ${d.document} ` +
      `${d.version}`,
    text: d.decision === 'validated'
      ? `Bonjour,\n\nLa signature de « ${d.document} » (version ${d.version}) par ${d.contractor} est validée.\n`
      : `Bonjour,\n\nLa signature de « ${d.document} » (version ${d.version}) par ${d.contractor} est rejetée.\nMotif : ${d.reason}\n` +
        `Déposez un document corrigé, signé et paraphé sur toutes ses pages par votre représentant légal.\n`,
  }),
  'resign-reminder': (d) => ({
    subject: `À signer avant le ${d.deadline} : ${d.document} ${d.version}`,
    text: `Bonjour,\n\nUne nouvelle version de « ${d.document} » (${d.version}) doit être signée par le représentant légal de ` +
      `${d.contractor} ` +
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
    text: `Bonjour,\n\n${d.contractor} a déposé l'attestation de destruction des données pour « ${d.prestation} ».\nSHA-256 : ` +
      `${d.sha256}\n`,
  }),
};

export const en: TemplateSet<Names> = {
  'signature-submitted': (d) => ({
    subject: `Signature to validate: ${d.document} ${d.version} (${d.contractor})`,
    text: `Hello,\n\n${d.contractor} uploaded "${d.document}" (version ${d.version}) signed by ${d.signer}.\n` +
      `Check the signed and initialled file, then validate or reject the signature (charter article 2).\n`,
  }),
  'signature-decided': (d) => ({
    subject: d.decision === 'validated' ? `Signature validated: ${d.document} ${d.version}` : `Signature rejected: ${d.document} ` +
      `${d.version}`,
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
};
