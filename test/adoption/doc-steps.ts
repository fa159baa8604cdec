// Test helper: the steps of a Markdown walkthrough in document order: each line of an ```sh block is a command, and a
// code block right after `<!-- file: path -->` is a file to write.
export type DocStep = { kind: 'command'; line: string; argv: string[] } | { kind: 'file'; path: string; text: string };

const block = /(?:<!-- file: (\S+) -->\n)?```(\w*)\n([\s\S]*?)```/g;

export function docSteps(markdown: string): DocStep[] {
  const steps: DocStep[] = [];
  for (const [, path, language, body = ''] of markdown.matchAll(block)) {
    if (path) steps.push({ kind: 'file', path, text: body });
    else if (language === 'sh')
      for (const raw of body.split('\n')) {
        const line = raw.replace(/\s+#.*$/, '').trim();
        if (line === '' || line.startsWith('#')) continue;
        // the walkthrough keeps to plain words: no quotes, pipes or variables a shell would have to interpret
        if (/["'`$|&;<>]/.test(line)) throw new Error(`a command a plain argv cannot run: ${line}`);
        steps.push({ kind: 'command', line, argv: line.split(/\s+/) });
      }
  }
  return steps;
}
