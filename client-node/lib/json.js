// SPDX-License-Identifier: Apache-2.0
'use strict';

/**
 * Strict RFC 8259 JSON, the rules every reader of this project applies (docs/manifest.md, "Syntax"): no key
 * twice in any object, no comments, no escapes but JSON's, no half of a surrogate pair, objects and arrays
 * nested at most MAX_DEPTH levels, nothing after the document. JSON.parse accepts duplicate keys (the last
 * wins), lone surrogate escapes and any depth, and cannot give a number's text as written, hence this parser.
 *
 * Values: strings as decoded strings, numbers as JsonNumber (their text as written), objects as Map (so that
 * any key, "__proto__" included, is plain data), arrays as Array, true/false/null as themselves. Errors name
 * the problem and its line and column, never the text.
 */

const MAX_DEPTH = 100;

class JsonSyntaxError extends Error {
  constructor(problem, text, offset) {
    super(`${problem}${where(text, offset)}`);
    this.name = 'JsonSyntaxError';
    this.problem = problem;
  }
}

/** A number, kept as the text it was written as. */
class JsonNumber {
  constructor(text) {
    this.text = text;
  }
}

const PLAIN = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9A-Fa-f]{4}$/;
const ESCAPES = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  constructor(text, spans) {
    this.text = text;
    this.at = 0;
    this.depth = 0;
    /** For the root object, when asked: member name -> [start, end) of its value in the text. */
    this.spans = spans ? new Map() : null;
  }

  document() {
    this.space();
    const value = this.value();
    this.space();
    if (this.at < this.text.length) {
      this.fail('content after the end of the document');
    }
    return value;
  }

  value() {
    const c = this.text.charCodeAt(this.at);
    switch (c) {
      case 0x7b: return this.object();
      case 0x5b: return this.array();
      case 0x22: return this.string();
      case 0x74: return this.literal('true', true);
      case 0x66: return this.literal('false', false);
      case 0x6e: return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          return this.number();
        }
        return this.unexpected();
    }
  }

  object() {
    const root = this.depth === 0;
    this.open();
    const members = new Map();
    this.space();
    if (this.text.charCodeAt(this.at) === 0x7d) {
      this.at++;
      this.depth--;
      return members;
    }
    for (;;) {
      if (this.text.charCodeAt(this.at) !== 0x22) {
        this.unexpected('expected a member name');
      }
      const keyAt = this.at;
      const key = this.string();
      if (members.has(key)) {
        this.fail('a duplicate key', keyAt);
      }
      this.space();
      this.expect(0x3a, 'expected ":"');
      this.space();
      const start = this.at;
      members.set(key, this.value());
      if (root && this.spans) {
        this.spans.set(key, [start, this.at]);
      }
      this.space();
      if (this.text.charCodeAt(this.at) === 0x2c) {
        this.at++;
        this.space();
        continue;
      }
      this.expect(0x7d, 'expected "," or "}"');
      this.depth--;
      return members;
    }
  }

  array() {
    this.open();
    const items = [];
    this.space();
    if (this.text.charCodeAt(this.at) === 0x5d) {
      this.at++;
      this.depth--;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.space();
      if (this.text.charCodeAt(this.at) === 0x2c) {
        this.at++;
        this.space();
        continue;
      }
      this.expect(0x5d, 'expected "," or "]"');
      this.depth--;
      return items;
    }
  }

  open() {
    if (++this.depth > MAX_DEPTH) {
      this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    }
    this.at++;
  }

  string() {
    const start = this.at;
    this.at++;
    let out = '';
    for (;;) {
      PLAIN.lastIndex = this.at;
      PLAIN.test(this.text);
      out += this.text.slice(this.at, PLAIN.lastIndex);
      this.at = PLAIN.lastIndex;
      const c = this.text.charCodeAt(this.at);
      if (c === 0x22) {
        this.at++;
        break;
      }
      if (c === 0x5c) {
        out += this.escape();
      } else if (this.at >= this.text.length) {
        this.fail('unexpected end inside a string (truncated?)');
      } else {
        this.fail('a control character in a string');
      }
    }
    if (!out.isWellFormed()) {
      this.fail('a string with half of a surrogate pair', start);
    }
    return out;
  }

  escape() {
    if (this.at + 1 >= this.text.length) {
      this.fail('unexpected end inside a string (truncated?)');
    }
    const c = this.text[this.at + 1];
    if (c === 'u') {
      const hex = this.text.slice(this.at + 2, this.at + 6);
      if (!HEX4.test(hex)) {
        this.fail('an invalid \\u escape in a string');
      }
      this.at += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    const decoded = ESCAPES[c];
    if (!Object.hasOwn(ESCAPES, c)) {
      this.fail('an escape JSON does not have in a string');
    }
    this.at += 2;
    return decoded;
  }

  number() {
    NUMBER.lastIndex = this.at;
    const match = NUMBER.exec(this.text);
    if (match === null) {
      this.fail('a number that is not JSON');
    }
    this.at = NUMBER.lastIndex;
    const next = this.text.charCodeAt(this.at);
    // "01", "1.", "1e", "-": a number whose text continues where JSON's grammar stops
    if ((next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45) {
      this.fail('a number that is not JSON');
    }
    return new JsonNumber(match[0]);
  }

  literal(word, result) {
    if (!this.text.startsWith(word, this.at)) {
      this.fail(word.startsWith(this.text.slice(this.at)) ? 'unexpected end (truncated?)' : 'unexpected character');
    }
    this.at += word.length;
    return result;
  }

  expect(code, problem) {
    if (this.text.charCodeAt(this.at) !== code) {
      this.unexpected(problem);
    }
    this.at++;
  }

  unexpected(problem = 'unexpected character') {
    if (this.at >= this.text.length) {
      this.fail('unexpected end (truncated?)');
    }
    this.fail(this.text[this.at] === '/' ? 'a comment, which JSON does not have' : problem);
  }

  space() {
    for (;;) {
      const c = this.text.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        return;
      }
      this.at++;
    }
  }

  fail(problem, offset = this.at) {
    throw new JsonSyntaxError(problem, this.text, offset);
  }
}

/** " (line L, column C)" of a UTF-16 offset; columns count UTF-16 units from 1. */
function where(text, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return ` (line ${line}, column ${offset - lineStart + 1})`;
}

/**
 * Parses `text` strictly.
 * @param {string} text
 * @returns {unknown} the value (see above)
 * @throws {JsonSyntaxError}
 */
function parse(text) {
  return new Parser(text, false).document();
}

/**
 * Parses `text` strictly and also returns, when it is an object, where each top-level member's value is in it.
 * @param {string} text
 * @returns {{value: unknown, spans: Map<string, [number, number]>}}
 */
function parseWithSpans(text) {
  const parser = new Parser(text, true);
  const value = parser.document();
  return { value, spans: parser.spans };
}

module.exports = { parse, parseWithSpans, JsonNumber, JsonSyntaxError, MAX_DEPTH };
