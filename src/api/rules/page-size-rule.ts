// A page larger than the page limit is the user's mistake, and the answer should say so:
// BAD_USER_INPUT naming `first` and the limit. graphql-armor's cost rule multiplies a
// selection's cost by a literal `first`, so without this check `first: 5000` answered "Query
// Cost limit of 100000 exceeded, found 350000", which tells nobody what to change. Literal
// page sizes are therefore checked before any cost analysis, and the cost rule runs only on
// operations whose pages are within the limit. (A `first` given as a variable weighs 1 in the
// cost; its value is checked when the field's arguments are, and answers alike.)
import { GraphQLError, Kind, visit, type ArgumentNode, type DocumentNode, type ValidationRule } from 'graphql';
import { pageSizeProblem } from '../services/paging.js';

/** The `first: <literal>` arguments of a document that no page may have. */
function oversizedPages(document: DocumentNode): Array<{ node: ArgumentNode; problem: string }> {
  const found: Array<{ node: ArgumentNode; problem: string }> = [];
  visit(document, {
    Argument(node) {
      if (node.name.value !== 'first' || node.value.kind !== Kind.INT) return;
      const problem = pageSizeProblem(Number(node.value.value));
      if (problem) found.push({ node, problem });
    },
  });
  return found;
}

/** `costRule`, preceded by the page-size check: an oversized page is reported instead of a cost. */
export function pageSizeBeforeCost(costRule: ValidationRule): ValidationRule {
  return (context) => {
    const oversized = oversizedPages(context.getDocument());
    if (oversized.length === 0) return costRule(context);
    for (const { node, problem } of oversized) {
      context.reportError(new GraphQLError(problem, { nodes: node, extensions: { code: 'BAD_USER_INPUT', field: 'first' } }));
    }
    return {};
  };
}
