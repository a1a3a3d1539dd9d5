import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileLink } from '../../src/vulns/file-link.js';

const SHA = '3f1c0de';

test('GitLab (and any other host): /-/blob/<rev>/<file>#L10-20', () => {
  assert.equal(fileLink('https://gitlab.com/acme/api', SHA, 'src/app.py', 10, 20), `https://gitlab.com/acme/api/-/blob/${SHA}/src/app.py#L10-20`);
  assert.equal(fileLink('https://gitlab.com/acme/api', 'main', 'src/app.py', 10), 'https://gitlab.com/acme/api/-/blob/main/src/app.py#L10');
  assert.equal(fileLink('https://git.example.com/acme/api', 'main', 'src/app.py', 7, 7), 'https://git.example.com/acme/api/-/blob/main/src/app.py#L7');
  assert.equal(fileLink('https://git.example.com/acme/api', 'main', 'src/app.py'), 'https://git.example.com/acme/api/-/blob/main/src/app.py');
});

test('GitHub: /blob/<rev>/<file>#L10-L20', () => {
  assert.equal(fileLink('https://github.com/acme/api', SHA, 'src/app.py', 10, 20), `https://github.com/acme/api/blob/${SHA}/src/app.py#L10-L20`);
  assert.equal(fileLink('https://github.com/acme/api', SHA, 'src/app.py', 10, null), `https://github.com/acme/api/blob/${SHA}/src/app.py#L10`);
  assert.equal(fileLink('https://github.example.com/acme/api', SHA, 'a.go', 3, 2), `https://github.example.com/acme/api/blob/${SHA}/a.go#L3`);
});

test('Bitbucket: /src/<rev>/<file>#lines-10:20', () => {
  assert.equal(fileLink('https://bitbucket.org/acme/api', SHA, 'src/app.py', 10, 20), `https://bitbucket.org/acme/api/src/${SHA}/src/app.py#lines-10:20`);
  assert.equal(fileLink('https://bitbucket.org/acme/api', SHA, 'src/app.py', 10), `https://bitbucket.org/acme/api/src/${SHA}/src/app.py#lines-10`);
});

test('a pasted clone URL or trailing slash still links; path and branch segments are encoded, their slashes kept', () => {
  assert.equal(fileLink('https://github.com/acme/api.git/', 'feature/x y', 'dir with space/#odd?.js', 1), 'https://github.com/acme/api/blob/feature/x%20y/dir%20with%20space/%23odd%3F.js#L1');
  assert.equal(fileLink('https://gitlab.com/acme/api/', 'main', './src//a.js'), 'https://gitlab.com/acme/api/-/blob/main/src/a.js');
  assert.equal(fileLink('https://gitlab.com/acme/api', 'main', 'src\\win\\a.cs', 4), 'https://gitlab.com/acme/api/-/blob/main/src/win/a.cs#L4');
});

test('no link for paths outside the repository, URIs, or when something is missing', () => {
  for (const file of ['/etc/passwd', '../secrets.txt', 'src/../../x', 'C:\\build\\a.cs', 'C:/build/a.cs', 'file:///home/a.py', 'https://evil.example/a', '', '.', '  ']) {
    assert.equal(fileLink('https://gitlab.com/acme/api', 'main', file, 1), null, file);
  }
  assert.equal(fileLink(null, 'main', 'a.py'), null);
  assert.equal(fileLink('https://gitlab.com/acme/api', null, 'a.py'), null);
  assert.equal(fileLink('https://gitlab.com/acme/api', 'main', null), null);
  assert.equal(fileLink('not a url', 'main', 'a.py'), null);
  // Non-positive or fractional lines are not anchors.
  assert.equal(fileLink('https://gitlab.com/a/b', 'main', 'a.py', 0, 5), 'https://gitlab.com/a/b/-/blob/main/a.py');
});
