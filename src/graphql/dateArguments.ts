import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import { ErrorCode } from './errors';
import { InvalidDateLiteral } from './scalars';

/**
 * A bad Date literal gets one error, naming where it was written. graphql-js's ValuesOfCorrectTypeRule
 * reports what the Date scalar throws ('Date must be a calendar day…') without the argument's name, and
 * analysts pasting a query need to know which argument to fix. All rules of one validation share one
 * context, so this rule swaps that error, as it is reported, for one naming the argument (and the input
 * field or variable default it sits in), instead of adding a second error beside it.
 */
export function DateArgumentsRule(context: ValidationContext): ASTVisitor {
  const report = context.reportError.bind(context);
  let argument: string | undefined;
  let variable: string | undefined;
  const fields: string[] = [];
  context.reportError = (error: GraphQLError) =>
    report(error instanceof InvalidDateLiteral ? named(error, { argument, variable, fields }) : error);
  return {
    Argument: {
      enter: (node) => void (argument = node.name.value),
      leave: () => void (argument = undefined),
    },
    VariableDefinition: {
      enter: (node) => void (variable = node.variable.name.value),
      leave: () => void (variable = undefined),
    },
    ObjectField: {
      enter: (node) => void fields.push(node.name.value),
      leave: () => void fields.pop(),
    },
  };
}

function named(
  error: InvalidDateLiteral,
  where: { argument?: string; variable?: string; fields: string[] },
): GraphQLError {
  const got = `got ${error.received}.`;
  const field = where.fields.length ? ` field "${where.fields.join('.')}"` : '';
  const options = (argument: string) => ({
    nodes: error.nodes,
    extensions: { code: ErrorCode.BAD_USER_INPUT, argument },
  });
  if (where.argument && !field)
    return new GraphQLError(
      `Argument "${where.argument}" must be a date written YYYY-MM-DD, ${got}`,
      options(where.argument),
    );
  if (where.argument)
    return new GraphQLError(
      `Argument "${where.argument}"${field}: Date must be a calendar day written YYYY-MM-DD, ${got}`,
      options([where.argument, ...where.fields].join('.')),
    );
  if (where.variable)
    return new GraphQLError(
      `Default value of variable "$${where.variable}"${field}: Date must be a calendar day written YYYY-MM-DD, ${got}`,
      options(`$${where.variable}`),
    );
  return error;
}
