import { PACK_DIRS } from './pack-context';

const D = PACK_DIRS;

export interface ReadmeFacts {
  packId: string;
  establishment: string;
  timeZone: string;
  contractor: { id: string; legalName: string; siret: string };
  generatedAt: Date;
  generatedBy: { name: string; email: string; roles: readonly string[] };
}

/** What each folder holds, in the order an inspector reads them (the charter's articles in brackets). */
const CONTENTS: [string, string][] = [
  ['README.txt', 'ce fichier'],
  ['manifest.json', 'la liste de tous les autres fichiers avec leur empreinte SHA-256 et leur taille, le générateur, la date, '
    + 'et le résultat de la vérification du journal d\'audit'],
  [`${D.contractor}/`, 'identité, donneur d\'ordre et sous-traitants (art. 4), état de l\'accès à la génération, référents, '
    + 'historique administratif avec dates d\'effet (art. 6), contacts et leurs remplacements (art. 3), prestations (art. 10)'],
  [`${D.signed}/`, 'chaque document signé tel que déposé (PDF) : charte, clauses RGPD, référentiel de sécurité, conventions d\'accès '
    + 'individuelles (art. 2), attestations de destruction des données (art. 10) ; signatures.json et signatures.csv : signataire, date, '
    + 'paraphe de toutes les pages, empreinte enregistrée et recalculée, validation (qui, quand) ou rejet (motif)'],
  [`${D.accounts}/`, 'comptes nominatifs et leur cycle de vie (demande, approbation, activation, suspension, reprise, désactivation : '
    + 'qui, quand, pourquoi ; art. 28-30), départs déclarés (art. 35)'],
  [`${D.scope}/`, 'habilitations : ressource et criticité, accès distant ou sur site, niveau, échéance, décision du DSI (art. 31)'],
  [`${D.reviews}/`, 'revues annuelles des accès : attestation personne par personne, certification par le RSSI ; pour une campagne '
    + 'certifiée, la preuve (CSV, JSON) et la synthèse imprimable (HTML) (art. 34)'],
  [`${D.interventions}/`, 'fenêtres d\'intervention (art. 36-39), leur décision, toutes les versions de leurs rapports (art. 42-43) '
    + 'et les connexions du journal qui s\'y rattachent avec la référence d\'enregistrement de session (art. 44)'],
  [`${D.derogations}/`,
    'dérogations écrites du DSI : matériel, outil de prise de main, compte partagé, suppression de traces (art. 16, 27, 30, 40)'],
  [`${D.anomalies}/`, 'anomalies détectées dans le journal des connexions : hors fenêtre, hors périmètre, compte suspendu ou désactivé, '
    + 'rafale d\'échecs (art. 41)'],
  [`${D.incidents}/`, 'menaces, vulnérabilités, vols et compromissions signalés (art. 5, 33)'],
  [`${D.audit}/`, 'evenements.json : les événements du journal d\'audit qui concernent ce prestataire, dans l\'ordre de la chaîne ; '
    + 'verification.json : le résultat de la vérification de toute la chaîne de l\'établissement'],
];

function localTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone, dateStyle: 'full', timeStyle: 'long' }).format(at);
}

/** Words into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + word.length + 1 <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** README.txt, in French, for the inspector who opens the archive (CRLF: Windows' Notepad shows it right). */
export function readmeText(f: ReadmeFacts): string {
  const width = Math.max(...CONTENTS.map(([path]) => path.length)) + 2;
  const lines = [
    `DOSSIER DE PREUVES - PRESTATAIRE ${f.contractor.legalName} (SIRET ${f.contractor.siret})`,
    '',
    `Établissement      : ${f.establishment}`,
    `Prestataire        : ${f.contractor.legalName}, identifiant ${f.contractor.id}`,
    `Généré le          : ${localTime(f.generatedAt, f.timeZone)} (${f.generatedAt.toISOString()} UTC)`,
    `Généré par         : ${f.generatedBy.name} <${f.generatedBy.email}> (rôles : ${f.generatedBy.roles.join(', ')})`,
    `Identifiant        : ${f.packId}`,
    '',
    'Ce dossier rassemble ce que Prestagate conserve sur ce prestataire au titre de la charte de bon usage du système',
    'd\'information à destination des prestataires, tel que la base le contenait au moment de la génération. Rien',
    'n\'y est résumé à la main : chaque fichier est produit par l\'application à partir de ses données.',
    '',
    'CONTENU',
    '',
    ...CONTENTS.flatMap(([path, what]) => wrap(what, 110 - width).map((line, i) => `  ${(i ? '' : path).padEnd(width)}${line}`)),
    '',
    'VÉRIFIER L\'INTÉGRITÉ',
    '',
    '1. Fichiers. manifest.json donne, pour chaque autre fichier, son empreinte SHA-256 et sa taille en octets. Pour',
    '   recalculer une empreinte : « sha256sum fichier » (Linux), « shasum -a 256 fichier » (macOS),',
    '   « certutil -hashfile fichier SHA256 » ou « Get-FileHash -Algorithm SHA256 fichier » (Windows).',
    '2. Documents signés. Pour chaque signature, signatures.json donne l\'empreinte enregistrée au dépôt du fichier',
    '   (recordedSha256) et celle recalculée sur le PDF de ce dossier (file.sha256) ; matchesRecordedHash dit si',
    '   elles sont égales, c\'est-à-dire si le fichier est bien celui qui a été déposé puis validé.',
    '3. Journal d\'audit. Le journal est une chaîne : chaque événement contient l\'empreinte du précédent (prevHash) et',
    '   la sienne (hash), SHA-256 de l\'événement lui-même sans son champ « hash », écrit en JSON canonique (clés',
    '   triées à tous les niveaux, sans espaces). Toute modification ou suppression d\'un événement casse la chaîne.',
    '   verification.json donne le résultat du recalcul de toute la chaîne de l\'établissement au moment de la',
    '   génération (ok, nombre d\'événements vérifiés, premier événement en défaut le cas échéant). L\'extrait',
    '   evenements.json ne garde que les événements de ce prestataire : deux événements successifs de l\'extrait ne',
    '   se suivent donc pas forcément dans la chaîne, mais l\'empreinte de chacun se recalcule seule.',
    '4. Authenticité du dossier. L\'empreinte SHA-256 de manifest.json est inscrite au journal d\'audit de',
    '   l\'établissement (événement « contractor.evidence_sealed » portant l\'identifiant ci-dessus) : l\'établissement',
    '   peut confirmer que ce dossier est celui que l\'application a produit.',
    '',
    'REMARQUES',
    '',
    `- Les instants sont en UTC (ISO 8601) ; les dates calendaires (AAAA-MM-JJ) sont celles du fuseau ${f.timeZone}.`,
    '- Les fichiers CSV sont en UTF-8, séparés par des virgules ; une cellule commençant par =, +, -, @ ou une',
    '  tabulation est précédée d\'une apostrophe, pour qu\'un tableur ne l\'exécute pas comme une formule.',
    '- Le journal des connexions complet n\'est pas joint : il s\'exporte à part, sur demande motivée de la direction',
    '  ou du RSSI (art. 41). Ce dossier en contient les connexions rattachées aux interventions et les anomalies.',
    '- Ce dossier contient des données personnelles (noms, adresses électroniques, téléphones) : il se conserve et',
    '  se transmet selon les règles de confidentialité applicables au contrôle.',
    '',
  ];
  return lines.join('\r\n');
}
