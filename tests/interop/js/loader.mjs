// An offline JSON-LD document loader for the interop tests.
//
// It answers only from a mapping written by the Python test:
//   {"contexts": {"<context URL>": "<path of the bundled file>"},
//    "documents": {"<DID>": <DID document>}}
// Contexts are read from OpenLER's bundled files (the same bytes OpenLER uses);
// did:key documents are derived with the Multikey libraries; any other URL is
// refused, so nothing here touches the network.
import {readFileSync} from 'node:fs';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey';

const DID_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

export function readMapping(path) {
  const mapping = JSON.parse(readFileSync(path, 'utf8'));
  return {contexts: mapping.contexts || {}, documents: mapping.documents || {}};
}

/** The Multikey library for a did:key / publicKeyMultibase value. */
function multikeyLibrary(fingerprint) {
  if(fingerprint.startsWith('z6Mk')) {
    return Ed25519Multikey;
  }
  if(fingerprint.startsWith('zDn')) {
    return EcdsaMultikey;
  }
  throw new Error(`unsupported did:key fingerprint ${fingerprint}`);
}

/** A did:key DID document (did:key method v0.9, Multikey representation). */
export async function didKeyDocument(did) {
  const fingerprint = did.slice('did:key:'.length);
  const key = await multikeyLibrary(fingerprint).from({
    '@context': MULTIKEY_V1,
    type: 'Multikey',
    id: `${did}#${fingerprint}`,
    controller: did,
    publicKeyMultibase: fingerprint
  });
  const vm = await key.export({publicKey: true, includeContext: false});
  return {
    '@context': [DID_V1, MULTIKEY_V1],
    id: did,
    verificationMethod: [vm],
    authentication: [vm.id],
    assertionMethod: [vm.id],
    capabilityDelegation: [vm.id],
    capabilityInvocation: [vm.id]
  };
}

export function makeLoader({contexts, documents}) {
  const contextCache = new Map();

  async function controllerDocument(did) {
    if(Object.prototype.hasOwnProperty.call(documents, did)) {
      return documents[did];
    }
    if(did.startsWith('did:key:')) {
      return didKeyDocument(did);
    }
    return null;
  }

  return async function documentLoader(url) {
    if(Object.prototype.hasOwnProperty.call(contexts, url)) {
      if(!contextCache.has(url)) {
        contextCache.set(url, JSON.parse(readFileSync(contexts[url], 'utf8')));
      }
      return {contextUrl: null, documentUrl: url, document: contextCache.get(url)};
    }
    const [base, fragment] = url.split('#', 2);
    const doc = await controllerDocument(base);
    if(doc !== null) {
      if(fragment === undefined) {
        return {contextUrl: null, documentUrl: url, document: doc};
      }
      const vm = (doc.verificationMethod || []).find(
        m => m.id === url || m.id === `#${fragment}`);
      if(vm) {
        const full = {'@context': MULTIKEY_V1, ...vm, id: url};
        return {contextUrl: null, documentUrl: url, document: full};
      }
    }
    throw new Error(`document loader: ${url} is not in the interop mapping`);
  };
}

/** Read all of stdin (or the file named on the command line) as JSON. */
export function readInput(path) {
  const text = path && path !== '-' ? readFileSync(path, 'utf8') :
    readFileSync(0, 'utf8');
  return JSON.parse(text);
}

/** `--name value` options from argv. */
export function parseArgs(argv) {
  const out = {};
  for(let i = 0; i < argv.length; i++) {
    if(argv[i].startsWith('--')) {
      out[argv[i].slice(2)] = argv[i + 1];
      i++;
    } else {
      out._ = argv[i];
    }
  }
  return out;
}
