/** A text in both languages: a key missing its English (or French) does not compile. */
export type Messages = Record<string, readonly [fr: string, en: string]>;

/** The keys two areas both define (never when none does): one area would silently replace the other's text. */
export type Repeated<Areas extends readonly Messages[], Seen = never> =
  Areas extends readonly [infer First, ...infer Rest extends Messages[]]
  ? (keyof First & Seen) | Repeated<Rest, Seen | keyof First>
  : never;
