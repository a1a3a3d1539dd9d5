import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normaliseRepoPath, relativeTo } from '../../src/vulns/paths.js';

describe('normaliseRepoPath', () => {
  const cases: Array<[string, string]> = [
    ['src/a.js', 'src/a.js'],
    ['./a/b', 'a/b'],
    ['a//b', 'a/b'],
    ['a\\b', 'a/b'],
    ['.\\src\\main\\App.java', 'src/main/App.java'],
    ['a/b/', 'a/b'],
    ['  a/b  ', 'a/b'],
    ['file:///home/x/a.js', '/home/x/a.js'],
    ['FILE:///home/x/a.js', '/home/x/a.js'],
    ['file:src/a.js', 'src/a.js'],
    ['src/my%20file.js', 'src/my file.js'],
    ['src/%E2%82%AC.js', 'src/€.js'],
    ['file:///home/x/my%20app/a.js', '/home/x/my app/a.js'],
    ['src/100%.js', 'src/100%.js'],
    ['src/%E2%82.js', 'src/%E2%82.js'],
    ['a%5Cb', 'a/b'],
    ['a/./b/../c', 'a/c'],
    ['a/b/..', 'a'],
    ['../a', '../a'],
    ['../../a/b', '../../a/b'],
    ['a/../../b', '../b'],
    ['/abs//x/./y', '/abs/x/y'],
    ['.', ''],
  ];
  for (const [raw, normal] of cases) {
    test(`${JSON.stringify(raw)} → ${JSON.stringify(normal)}`, () => {
      assert.equal(normaliseRepoPath(raw), normal);
    });
  }
});

describe('relativeTo', () => {
  const cases: Array<[string, string, string, string]> = [
    ['a root without a trailing slash', '/home/x/app/src/a.js', '/home/x/app', 'src/a.js'],
    ['a root with a trailing slash', '/home/x/app/src/a.js', '/home/x/app/', 'src/a.js'],
    ['file URIs on both sides', 'file:///home/x/app/src/a.js', 'file:///home/x/app/', 'src/a.js'],
    ['a file URI under a plain root', 'file:///home/x/app/src/a.js', '/home/x/app', 'src/a.js'],
    ['Windows separators', 'C:\\work\\app\\src\\a.js', 'C:\\work\\app\\', 'src/a.js'],
    ['a relative root', './src/main/a.js', 'src/', 'main/a.js'],
    ['a path that is not under the root', '/other/a.js', '/home/x/app', '/other/a.js'],
    ['a sibling that shares the prefix', '/home/x/application/a.js', '/home/x/app', '/home/x/application/a.js'],
    ['an empty root', './src/a.js', '', 'src/a.js'],
    ['the root itself', '/home/x/app/', '/home/x/app', ''],
    ['the filesystem root', '/src/a.js', '/', 'src/a.js'],
    ['the filesystem root as a file URI', 'file:///src/a.js', 'file:///', 'src/a.js'],
  ];
  for (const [name, path, root, relative] of cases) {
    test(`${name}: ${JSON.stringify(path)} under ${JSON.stringify(root)} → ${JSON.stringify(relative)}`, () => {
      assert.equal(relativeTo(path, root), relative);
    });
  }
});
