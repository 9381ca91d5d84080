import { expect, test } from 'vitest';
import { displayPath, normalizePath } from './path';
import { PathRuleList } from './path-rules';

test.each([
  ['./a//b/', undefined, 'a/b'],
  ['src/../.env', undefined, '.env'],
  ['../x/.env', undefined, '../x/.env'],
  ['/repo/.env', '/repo', '.env'],
  ['/repo//config/./.env', '/repo/', 'config/.env'],
  ['/repo', '/repo', '.'],
  ['/etc/passwd', '/repo', '/etc/passwd'],
  ['/repo-other/.env', '/repo', '/repo-other/.env'],
  ['/../../etc', undefined, '/etc'],
  ['', undefined, '.'],
])('normalizePath(%j, root %j) → %j', (input, root, expected) => {
  expect(normalizePath(input, root)).toBe(expected);
});

test('~ expands only when the home directory is known', () => {
  expect(normalizePath('~/.ssh/id_rsa', undefined, '/home/dev')).toBe('/home/dev/.ssh/id_rsa');
  expect(normalizePath('~/.ssh/id_rsa')).toBe('~/.ssh/id_rsa');
  expect(normalizePath('~', '/home/dev', '/home/dev')).toBe('.');
});

test('displayPath keeps upstream target formatting (.. kept, absolute kept)', () => {
  expect(displayPath('./a//b/')).toBe('a/b');
  expect(displayPath('src/../.env')).toBe('src/../.env');
  expect(displayPath('/repo/.env')).toBe('/repo/.env');
});

const list = (...patterns: string[]): PathRuleList =>
  new PathRuleList(patterns.map((pattern) => ({ pattern, pack: 'p' })));

test.each([
  ['.env', 'config/.env', true],
  ['.env', '.env.local', false],
  ['.env.*', 'app/.env.local', true],
  ['**/*.pem', 'key.pem', true],
  ['**/*.pem', 'certs/deep/key.pem', true],
  ['**/*.pem', 'key.pem.txt', false],
  ['iam/**', 'iam/role.tf', true],
  ['iam/**', 'infra/iam/role.tf', false],
  ['**/secrets.*', 'a/secrets.d/b.yaml', true],
  ['**/phi/**', 'data/phi/x.csv', true],
  ['**/kubeconfig', 'kubeconfig', true],
  ['.github/workflows/**', '.github/workflows/ci.yml', true],
  ['**/*credential*', 'src/aws_credentials.json', true],
  ['secrets', 'app/secrets/db.yaml', true],
  ['**/main.tf', 'infra/main.tf.bak', false],
])('pattern %j on %j → %s (upstream or gitignore semantics)', (pattern, path, expected) => {
  expect(list(pattern).firstMatch([path]) !== undefined).toBe(expected);
});

test('firstMatch reports the earliest pattern in list order, whatever bucket it sits in', () => {
  const rules = list('**/*credential*', '**/*.pem', 'certs/**', 'certs/credential.pem');
  expect(rules.firstMatch(['certs/credential.pem'])?.pattern).toBe('**/*credential*');
  expect(list('certs/**', '**/*.pem').firstMatch(['certs/a.pem'])?.pattern).toBe('certs/**');
});

test('a recursive directory operand meets subtree patterns inside it, not name patterns', () => {
  const rules = list('**/main.tf', '.github/workflows/**');
  expect(rules.firstCoveringDirectory('.github')?.pattern).toBe('.github/workflows/**');
  expect(rules.firstCoveringDirectory('.github/workflows')?.pattern).toBe('.github/workflows/**');
  expect(rules.firstCoveringDirectory('.')?.pattern).toBe('.github/workflows/**');
  expect(rules.firstCoveringDirectory('infra')).toBeUndefined();
});
