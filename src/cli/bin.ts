#!/usr/bin/env node
// The `lifeboat` command. It imports nothing of the app statically: on an older Node the app's
// dependencies fail while loading (undici 8 calls zlib.createZstdDecompress and declares Node
// >=22.19.0), before any code of ours could explain, so the version is checked first.

/** The oldest Node the app runs on, as package.json's `engines` says; 24 is the LTS it ships with (.nvmrc). */
const NEEDED = { major: 22, minor: 19 } as const;

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < NEEDED.major || (major === NEEDED.major && minor < NEEDED.minor)) {
  process.stderr.write(
    `lifeboat needs Node.js ${NEEDED.major}.${NEEDED.minor}+ (24 LTS recommended), this is ${process.version}: ` +
      'run `nvm install 24`, or `npm install -g --prefix ~/.local/lifeboat-node24 node@24` and put ' +
      '~/.local/lifeboat-node24/bin first on PATH\n',
  );
  process.exit(1);
}

await import('./main.js');
