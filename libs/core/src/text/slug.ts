/** An ASCII file name part from a name ("Médi Soft SAS" -> "medi-soft-sas"); `fallback` when nothing is left. */
export function slug(name: string, fallback = 'prestataire'): string {
  const ascii = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return ascii.toLowerCase().slice(0, 60) || fallback;
}
