// Limits on what one operation may ask (policy `api`): depth, cost, aliases and directives
// through graphql-armor's validation rules, the page size before the cost (./page-size-rule.ts),
// and tokens through graphql-js's parser (./operation-rules.ts passes `maxTokens` to it).
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationRule } from 'graphql';
import type { Policy } from '../../config.js';
import { pageSizeBeforeCost } from './page-size-rule.js';

export type ApiLimits = Policy['api'];

/**
 * An operation over a limit is reported as a validation error in plain words: armor would
 * throw it, worded "Syntax Error: …", though nothing is wrong with the syntax.
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [
    (ctx: { reportError(e: GraphQLError): void } | null, err: GraphQLError) =>
      ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, ''), { nodes: err.nodes })),
  ],
};

/** Every armor protection off; each rule below turns on the one it wants. */
const NONE = {
  blockFieldSuggestion: { enabled: false },
  maxTokens: { enabled: false },
  costLimit: { enabled: false },
  maxAliases: { enabled: false },
  maxDirectives: { enabled: false },
  maxDepth: { enabled: false },
};

function armorRule(config: Partial<ConstructorParameters<typeof ApolloArmor>[0]>): ValidationRule {
  const [rule] = new ApolloArmor({ ...NONE, ...config }).protect().validationRules;
  return rule!;
}

/** graphql-armor's validation rules for these limits, the page size checked before the cost. */
export function limitRules(limits: ApiLimits): ValidationRule[] {
  return [
    armorRule({ maxDepth: { n: limits.maxDepth, ...asValidationError } }),
    pageSizeBeforeCost(armorRule({ costLimit: { maxCost: limits.maxCost, ...asValidationError } })),
    armorRule({ maxAliases: { n: limits.maxAliases, ...asValidationError } }),
    armorRule({ maxDirectives: { n: limits.maxDirectives, ...asValidationError } }),
  ];
}
