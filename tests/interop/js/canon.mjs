// Print rdf-canonize's RDFC-1.0 canonical N-Quads for JSON-LD documents.
//
// Usage: node canon.mjs --mapping mapping.json [input.json|-]
// Input: a JSON array of documents. Output: a JSON array, one
// {nquads} or {error} per document, in input order. jsonld.canonize runs
// with algorithm RDFC-1.0 and safe mode on, the loader serving only the mapping.
// A document refused by rdf-canonize's default work limit (maxWorkFactor 1) is
// canonicalized again with maxWorkFactor 3 and flagged with defaultLimitError.
import jsonld from 'jsonld';
import {makeLoader, parseArgs, readInput, readMapping} from './loader.mjs';

const args = parseArgs(process.argv.slice(2));
if(!args.mapping) {
  console.error('usage: node canon.mjs --mapping mapping.json [input.json|-]');
  process.exit(2);
}
const documentLoader = makeLoader(readMapping(args.mapping));
const input = readInput(args._);
const documents = Array.isArray(input) ? input : [input];
const RETRY_WORK_FACTOR = 3;

async function canonize(document, maxWorkFactor = 1) {
  return jsonld.canonize(document, {
    algorithm: 'RDFC-1.0', format: 'application/n-quads', safe: true,
    documentLoader, canonizeOptions: {algorithm: 'RDFC-1.0', maxWorkFactor}
  });
}

const results = [];
for(const document of documents) {
  try {
    const nquads = await canonize(document);
    results.push({nquads, workFactor: 1});
  } catch(e) {
    // rdf-canonize's default work limit (maxWorkFactor 1, which the
    // cryptosuites also use) refuses some small graphs with several
    // look-alike blank nodes: report it and canonicalize with a higher limit.
    if(/Maximum deep iterations exceeded/.test(String(e.message))) {
      try {
        const nquads = await canonize(document, RETRY_WORK_FACTOR);
        results.push({nquads, workFactor: RETRY_WORK_FACTOR,
          defaultLimitError: String(e.message)});
        continue;
      } catch(e2) {
        e = e2;
      }
    }
    results.push({error: String(e.message || e), name: e.name || null});
  }
}
process.stdout.write(JSON.stringify(results));
