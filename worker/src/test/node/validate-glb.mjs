// Validates one GLB file with the Khronos glTF validator and prints its report as JSON.
// Usage: node validate-glb.mjs model.glb
import { readFile } from 'node:fs/promises';
import validator from 'gltf-validator';

const path = process.argv[2];
const bytes = new Uint8Array(await readFile(path));
const report = await validator.validateBytes(bytes, {
  uri: path,
  // why: a GLB from Kiln embeds everything; an external reference would itself be a defect
  externalResourceFunction: (uri) => Promise.reject(new Error(`external resource ${uri}`)),
  maxIssues: 100,
});
process.stdout.write(JSON.stringify(report));
