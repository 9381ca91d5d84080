/**
 * Test-only: reads the hand-written corpus format of commands.txt (one command per line; multi-line commands
 * between a `<<<` line and a `>>>` line; `## ` comment lines and blank lines ignored).
 */
export function parseCorpus(text: string): string[] {
  const out: string[] = [];
  let block: string[] | null = null;
  for (const line of text.split('\n')) {
    if (block !== null) {
      if (line === '>>>') {
        out.push(block.join('\n'));
        block = null;
      } else block.push(line);
    } else if (line === '<<<') block = [];
    else if (line.trim() !== '' && !line.startsWith('## ')) out.push(line);
  }
  if (block !== null) throw new Error('corpus: unterminated <<< block');
  return out;
}
