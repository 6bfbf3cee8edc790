// Sign credentials with Digital Bazaar's libraries (the reverse interop path).
//
// Usage: node sign.mjs --mapping mapping.json [input.json|-]
// Input: {"cryptosuite": "eddsa-rdfc-2022"|"ecdsa-rdfc-2019",
//         "created": ISO date, "credentials": [unsigned credentials]}.
// A fresh key (Ed25519 or P-256 Multikey) and its did:key are generated; each
// credential's issuer is set to that DID and it is signed with vc.issue and a
// DataIntegrityProof. Output: {"did", "verificationMethod", "credentials": [...]}.
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
  console.error('usage: node sign.mjs --mapping mapping.json [input.json|-]');
  process.exit(2);
}
const documentLoader = makeLoader(readMapping(args.mapping));
const request = readInput(args._);

let key;
let cryptosuite;
if(request.cryptosuite === 'eddsa-rdfc-2022') {
  key = await Ed25519Multikey.generate();
  cryptosuite = eddsaRdfc2022;
} else if(request.cryptosuite === 'ecdsa-rdfc-2019') {
  key = await EcdsaMultikey.generate({curve: 'P-256'});
  cryptosuite = ecdsaRdfc2019;
} else {
  console.error(`unknown cryptosuite ${request.cryptosuite}`);
  process.exit(2);
}
const did = `did:key:${key.publicKeyMultibase}`;
key.controller = did;
key.id = `${did}#${key.publicKeyMultibase}`;
const signer = key.signer();

const signed = [];
for(const unsigned of request.credentials) {
  const credential = structuredClone(unsigned);
  if(credential.issuer && typeof credential.issuer === 'object') {
    credential.issuer.id = did;
  } else {
    credential.issuer = did;
  }
  const suite = new DataIntegrityProof({
    signer, cryptosuite,
    ...(request.created ? {date: request.created} : {})
  });
  signed.push(await vc.issue({credential, suite, documentLoader}));
}
process.stdout.write(JSON.stringify({
  did, verificationMethod: key.id, credentials: signed
}));
