// The code base's own rules (docs/architecture.md, "Enforced boundaries"): each one a shape the reviews kept asking for.
const ERROR_CLASSES = new Set(['DomainError', 'ConflictError', 'UnauthorizedError']);
// R-L10N errors whose first argument is the text the caller reads: a catalogue text, never an inline English string.
const TEXT_FIRST = new Set(['ValidationFailed', 'ForbiddenError', 'RateLimitedError', 'ServiceUnavailableError']);
const SQL_METHODS = new Set(['query', 'createQueryBuilder', 'getRepository']);

/** Comments say why in three lines at most; longer reasoning goes to docs/adr/. */
const commentLines = {
  meta: {
    type: 'suggestion',
    schema: [{ type: 'integer' }],
    messages: { long: 'Comment of {{lines}} lines (at most {{max}}): keep the why, move the essay to docs/adr/' },
  },
  create(context) {
    const max = context.options[0] ?? 3;
    return {
      Program() {
        const comments = context.sourceCode.getAllComments().filter((c) => !/^\s*(eslint|@ts-|prettier-ignore)/.test(c.value));
        let run = null;
        const flush = () => {
          if (run && run.lines > max)
            context.report({ loc: run.loc, messageId: 'long', data: { lines: String(run.lines), max: String(max) } });
        };
        for (const c of comments) {
          const lines =
            c.loc.end.line -
            c.loc.start.line +
            1 -
            (c.type === 'Block' && /^\*?\s*$/.test(c.value.split('\n')[0]) ? 1 : 0) -
            (c.type === 'Block' && c.loc.end.line > c.loc.start.line && /^\s*$/.test(c.value.split('\n').at(-1)) ? 1 : 0);
          if (run && c.type === 'Line' && run.type === 'Line' && c.loc.start.line === run.loc.end.line + 1) {
            run.lines += lines;
            run.loc = { start: run.loc.start, end: c.loc.end };
          } else {
            flush();
            run = { type: c.type, lines, loc: c.loc };
          }
        }
        flush();
      },
    };
  },
};

/** SQL and query builders live in `*.repository.ts` files only; services call repositories. */
const sqlInRepositories = {
  meta: {
    type: 'problem',
    schema: [],
    messages: { sql: '{{method}}() outside a *.repository.ts file: move the statement to the owning repository' },
  },
  create(context) {
    return {
      'CallExpression > MemberExpression.callee[property.type="Identifier"]'(node) {
        if (SQL_METHODS.has(node.property.name)) context.report({ node, messageId: 'sql', data: { method: node.property.name } });
      },
    };
  },
};

const isInlineText = (node) => node?.type === 'TemplateLiteral' || (node?.type === 'Literal' && typeof node.value === 'string');

/** Error codes come from the library's catalogue (its errors.ts), never an inline string. */
const errorCodesFromCatalogue = {
  meta: {
    type: 'suggestion',
    schema: [],
    messages: {
      inline: "Inline error code {{code}}: declare it in the library's errors.ts and throw Errors.error(...)",
      text: "Inline message: put it in the library's errors.json (fr, en) and pass Errors.text(...) (R-L10N)",
    },
  },
  create(context) {
    return {
      NewExpression(node) {
        const first = node.arguments[0];
        if (
          node.callee.type === 'Identifier' &&
          ERROR_CLASSES.has(node.callee.name) &&
          first?.type === 'Literal' &&
          typeof first.value === 'string'
        ) {
          context.report({ node, messageId: 'inline', data: { code: first.value } });
        }
        if (node.callee.type === 'Identifier' && TEXT_FIRST.has(node.callee.name) && isInlineText(first)) {
          context.report({ node, messageId: 'text' });
        }
      },
      CallExpression(node) {
        // `super('inline text')` in a class that extends one of them.
        if (node.callee.type !== 'Super' || !isInlineText(node.arguments[0])) return;
        const parent = context.sourceCode.getAncestors(node).findLast((a) => a.type === 'ClassDeclaration');
        if (parent?.superClass?.type === 'Identifier' && TEXT_FIRST.has(parent.superClass.name)) {
          context.report({ node, messageId: 'text' });
        }
      },
    };
  },
};

/** A library's index.ts names what it offers (services, views, types): no `export *`, no entities, repositories or jobs. */
const narrowIndex = {
  meta: { type: 'problem', schema: [], messages: { star: 'export * in a library index: name what the library offers', internal: 'A library index exports services, views and types, not {{what}}' } },
  create(context) {
    const check = (node) => {
      const from = node.source?.value;
      if (typeof from !== 'string') return;
      if (node.type === 'ExportAllDeclaration' && !node.exported) context.report({ node, messageId: 'star' });
      const internal = /entities|\.entity$|\.repository$|\.jobs$/.exec(from);
      if (internal) context.report({ node, messageId: 'internal', data: { what: internal[0].replace(/^\./, '') } });
    };
    return { ExportAllDeclaration: check, ExportNamedDeclaration: check };
  },
};

export default {
  meta: { name: 'prestagate' },
  rules: { 'comment-lines': commentLines, 'sql-in-repositories': sqlInRepositories, 'error-codes-from-catalogue': errorCodesFromCatalogue, 'narrow-index': narrowIndex },
};
