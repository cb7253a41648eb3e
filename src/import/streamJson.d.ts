/*
 * stream-json 2 names its modules through package.json "exports" ("stream-json/assembler.js" is
 * src/assembler.js), which TypeScript's "node" resolution of this project does not read: these lines point
 * the names Node resolves at the declarations the package ships.
 */
declare module 'stream-json/assembler.js' {
  import Assembler from 'stream-json/src/assembler';
  export default Assembler;
}
declare module 'stream-json/parser.js' {
  import parser from 'stream-json/src/parser';
  export default parser;
}
declare module 'stream-chain/defs.js' {
  export * from 'stream-chain/src/defs';
}
