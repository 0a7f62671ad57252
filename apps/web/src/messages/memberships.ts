import type { Messages } from './messages';

/** R-MEMB one person, several establishments: the chooser, the header's switcher, an invitation confirmed: [French, English]. */
export const MEMBERSHIPS = {
  'memb.title': ['Choisissez l’établissement', 'Choose the establishment'],
  'memb.intro': [
    'Vous travaillez pour plusieurs établissements. Choisissez celui pour lequel vous travaillez maintenant ; '
      + 'vous pourrez en changer depuis l’en-tête.',
    'You work for several establishments. Choose the one you are working for now; you can change it from the header.',
  ],
  'memb.current': ['établissement actuel', 'current establishment'],
  'memb.roles': ['Vos rôles : {roles}', 'Your roles: {roles}'],
  'memb.needsTotp': [
    'Connecté(e) par l’annuaire d’un autre établissement : celui-ci demande votre mot de passe et votre code TOTP.',
    'Signed in through another establishment’s directory: this one asks for your password and your TOTP code.',
  ],
  'memb.platform': ['Plateforme Prestagate', 'Prestagate platform'],
  'memb.switch': ['Changer d’établissement', 'Change establishment'],
  'memb.others': ['Vos autres établissements', 'Your other establishments'],
  'memb.invite.title': ['Rejoindre un établissement', 'Join an establishment'],
  'memb.invite.existing': [
    'Vous avez déjà un compte Prestagate. Confirmez avec votre mot de passe habituel pour rejoindre {establishment}.',
    'You already have a Prestagate account. Confirm with your usual password to join {establishment}.',
  ],
  'memb.invite.password': ['Votre mot de passe actuel', 'Your current password'],
  'memb.invite.submit': ['Rejoindre {establishment}', 'Join {establishment}'],
  'memb.invite.refused': [
    'Le mot de passe saisi n’est pas le bon ; le lien d’invitation reste valable.',
    'The password entered is not the right one; the invitation link still works.',
  ],
  'memb.invite.wrongPassword': [
    'Ce n’est pas le mot de passe de votre compte Prestagate : saisissez celui que vous utilisez déjà pour vous connecter.',
    'This is not your Prestagate account’s password: enter the one you already sign in with.',
  ],
  'memb.invite.newcomer': [
    '{establishment} vous invite sur Prestagate. Choisissez un mot de passe ; '
      + 'la double authentification sera activée à la première connexion.',
    '{establishment} invites you to Prestagate. Choose a password; two-factor authentication is set up at your first sign-in.',
  ],
} as const satisfies Messages;
