// Sign verification-corpus material with Digital Bazaar's libraries.
//
// Usage: node sign_corpus.mjs --mapping mapping.json [input.json|-]
// Input: {
//   "cryptosuite": "eddsa-rdfc-2022" | "ecdsa-rdfc-2019",
//   "created": ISO date,
//   "key": {"publicKeyMultibase", "secretKeyMultibase"}   (optional; else a fresh key),
//   "controller": "did:web:..."                           (optional; else the did:key),
//   "keyId": "key-1"                                      (fragment under a controller),
//   "credentials": [{"credential": {...}, "keepIssuer": bool}],
//   "presentations": [{"presentation": {...}, "challenge", "domain"}]
// }
// Unless keepIssuer is set, each credential's issuer becomes the controller, so
// the corpus can also hold credentials whose issuer is someone else. Output:
// {"controller", "verificationMethod", "publicKeyMultibase", "credentials": [...],
//  "presentations": [...]}.
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {cryptosuite as ecdsaRdfc2019} from
  '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite';
import {makeLoader, parseArgs, readInput, readMapping} from './loader.mjs';

const args = parseArgs(process.argv.slice(2));
if(!args.mapping) {
  console.error('usage: node sign_corpus.mjs --mapping mapping.json [input.json|-]');
  process.exit(2);
}
const documentLoader = makeLoader(readMapping(args.mapping));
const request = readInput(args._);

const SUITES = {
  'eddsa-rdfc-2022': {library: Ed25519Multikey, cryptosuite: eddsaRdfc2022},
  'ecdsa-rdfc-2019': {library: EcdsaMultikey, cryptosuite: ecdsaRdfc2019}
};
const chosen = SUITES[request.cryptosuite];
if(!chosen) {
  console.error(`unknown cryptosuite ${request.cryptosuite}`);
  process.exit(2);
}

let key;
if(request.key) {
  key = await chosen.library.from({
    '@context': 'https://w3id.org/security/multikey/v1',
    type: 'Multikey',
    publicKeyMultibase: request.key.publicKeyMultibase,
    secretKeyMultibase: request.key.secretKeyMultibase
  });
} else if(chosen.library === Ed25519Multikey) {
  key = await Ed25519Multikey.generate();
} else {
  key = await EcdsaMultikey.generate({curve: 'P-256'});
}
const controller = request.controller || `did:key:${key.publicKeyMultibase}`;
key.controller = controller;
key.id = request.controller ? `${controller}#${request.keyId || 'key-1'}` :
  `${controller}#${key.publicKeyMultibase}`;
const signer = key.signer();

function suite() {
  return new DataIntegrityProof({
    signer, cryptosuite: chosen.cryptosuite,
    ...(request.created ? {date: request.created} : {})
  });
}

const credentials = [];
for(const item of request.credentials || []) {
  const credential = structuredClone(item.credential);
  if(!item.keepIssuer) {
    if(credential.issuer && typeof credential.issuer === 'object') {
      credential.issuer.id = controller;
    } else {
      credential.issuer = controller;
    }
  }
  credentials.push(await vc.issue({credential, suite: suite(), documentLoader}));
}

const presentations = [];
for(const item of request.presentations || []) {
  presentations.push(await vc.signPresentation({
    presentation: structuredClone(item.presentation), suite: suite(),
    challenge: item.challenge, domain: item.domain, documentLoader
  }));
}

process.stdout.write(JSON.stringify({
  controller, verificationMethod: key.id, publicKeyMultibase: key.publicKeyMultibase,
  credentials, presentations
}));
