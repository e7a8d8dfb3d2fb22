// A value literal nested thousands of levels deep overflows graphql-js's parser (it recurses
// per level) before the JSON scalar can bound it. So the operation text is scanned first,
// without recursion, and a literal nested deeper than a JSON input may be (policy
// api.maxJsonDepth) is refused with BAD_USER_INPUT naming its field, over HTTP and graphql-ws.
// The scan knows which names hold JSON (jsonFieldNames), not full types: a deep value under any
// other name is refused past the input objects' own nesting (INPUT_NESTING), which no valid
// operation reaches; the JSON scalar stays the exact check for whatever passes.
import { getNamedType, isInputObjectType, isObjectType, type GraphQLError, type GraphQLSchema } from 'graphql';
import { jsonInputError, tooDeepReason } from './json-scalar.js';

/** Levels of input objects and lists an argument may have around a JSON value. */
const INPUT_NESTING = 16;

/** Names of the arguments and input fields of the schema whose type is JSON. */
export function jsonFieldNames(schema: GraphQLSchema, scalar = 'JSON'): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) if (getNamedType(f.type).name === scalar) names.add(f.name);
    } else if (isObjectType(type)) {
      for (const f of Object.values(type.getFields())) for (const a of f.args) if (getNamedType(a.type).name === scalar) names.add(a.name);
    }
  }
  return names;
}

interface Level {
  /** The argument or field this object or list is the value of (none for a list's items). */
  key?: string;
}

/** The error for the first literal nested too deep in `query`, if any. */
export function deepLiteralError(query: string, maxJsonDepth: number, jsonFields: ReadonlySet<string>): GraphQLError | undefined {
  const levels: Level[] = [];
  let parens = 0;
  let lastName: string | undefined; // a name just read, which a ':' makes a key
  let key: string | undefined;
  let jsonFrom = -1; // index in `levels` of the outermost level of a JSON value
  // Character by character without regular expressions: every operation passes here.
  for (let i = 0; i < query.length; i++) {
    const c = query[i]!;
    if (c === ' ' || c === ',' || c === '\n' || c === '\t' || c === '\r') continue;
    if (isNameChar(c)) {
      let j = i;
      while (j + 1 < query.length && isNameChar(query[j + 1]!)) j++;
      lastName = query.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '#') i = skipTo(query, i, '\n');
    else if (query.startsWith('"""', i)) i = skipBlockString(query, i);
    else if (c === '"') i = skipString(query, i);
    else if (c === '(') parens++;
    else if (c === ')') {
      parens = Math.max(0, parens - 1);
      if (parens === 0) ((levels.length = 0), (jsonFrom = -1));
    } else if (parens > 0 && c === ':') key = lastName;
    else if (parens > 0 && (c === '{' || c === '[')) {
      if (jsonFrom < 0 && key !== undefined && jsonFields.has(key)) jsonFrom = levels.length;
      levels.push({ key });
      key = undefined; // a list's items and an object's first field have none yet
      if (jsonFrom >= 0 && levels.length - jsonFrom > maxJsonDepth) return tooDeep(pathOf(levels, jsonFrom), maxJsonDepth);
      if (levels.length > maxJsonDepth + INPUT_NESTING) return tooDeep(pathOf(levels, jsonFrom), maxJsonDepth);
    } else if (parens > 0 && (c === '}' || c === ']')) {
      levels.pop();
      key = undefined;
      if (levels.length <= jsonFrom) jsonFrom = -1;
    }
    lastName = undefined;
  }
  return undefined;
}

/** The keys down to the JSON value, as "input.extraAttributes"; outside one, the argument. */
function pathOf(levels: Level[], jsonFrom: number): string {
  const upTo = jsonFrom >= 0 ? jsonFrom + 1 : 1;
  return levels.slice(0, upTo).flatMap((l) => (l.key ? [l.key] : [])).join('.');
}

function tooDeep(field: string, maxJsonDepth: number): GraphQLError {
  return jsonInputError(tooDeepReason(maxJsonDepth), field || undefined);
}

/** A letter, a digit or "_": the characters of a name (a number read as one is harmless: no ":" follows it). */
function isNameChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
}

function skipTo(s: string, i: number, end: string): number {
  const at = s.indexOf(end, i + 1);
  return at < 0 ? s.length : at;
}

function skipString(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '"' || s[j] === '\n') return j;
  }
  return s.length;
}

function skipBlockString(s: string, i: number): number {
  for (let j = i + 3; j < s.length; j++) {
    if (s.startsWith('\\"""', j)) j += 3;
    else if (s.startsWith('"""', j)) return j + 2;
  }
  return s.length;
}
