// A note from POST /notes checked: `text` (1–500 characters) and an optional `author` (≤ 60); a string says what is
// wrong.
export interface NoteInput {
  text: string;
  author?: string;
}

export function readNote(body: Record<string, unknown>): NoteInput | string {
  const { text, author } = body;
  if (typeof text !== 'string' || !text.trim())
    return `expected "text" to be a non-empty string, got ${JSON.stringify(text) ?? 'nothing'}`;
  if (text.length > 500) return `expected "text" to be at most 500 characters, got ${text.length}`;
  if (author !== undefined && (typeof author !== 'string' || author.length > 60))
    return `expected "author" to be a string of at most 60 characters, got ${JSON.stringify(author)}`;
  const trimmed = typeof author === 'string' ? author.trim() : '';
  return trimmed ? { text: text.trim(), author: trimmed } : { text: text.trim() };
}
