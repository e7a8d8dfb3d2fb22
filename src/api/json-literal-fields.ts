// A validation rule that reports nothing: it notes which field each JSON literal is the value of
// ("input.extraAttributes"), so the JSON scalar's parseLiteral, which sees only the literal,
// can name that field when the literal is over the limits (./json-scalar.ts). A parent node is
// entered before its value is checked, so the note is there in time.
import { getNamedType, type ASTVisitor, type ValidationContext, type ValueNode } from 'graphql';
import { JSONScalar, noteJsonLiteralField } from './json-scalar.js';

export function jsonLiteralFields(context: ValidationContext): ASTVisitor {
  const path: string[] = [];
  const note = (value: ValueNode) => {
    const type = context.getInputType();
    if (type && getNamedType(type).name === JSONScalar.name) noteJsonLiteralField(value, path.join('.'));
  };
  const enter = (node: { name: { value: string }; value: ValueNode }) => {
    path.push(node.name.value);
    note(node.value);
  };
  const leave = () => {
    path.pop();
  };
  return { Argument: { enter, leave }, ObjectField: { enter, leave } };
}
