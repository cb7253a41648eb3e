import { GraphQLError, Kind, getNamedType, type ValidationContext, type ASTVisitor } from 'graphql';
import { ErrorCode } from './errors';
import { isIsoDate } from './scalars';

/**
 * graphql-js reports a bad literal as 'Expected value of type "Date", found …' without the argument's
 * name; analysts pasting a query need to know which argument to fix. This rule adds an error that names it.
 */
export function DateArgumentsRule(context: ValidationContext): ASTVisitor {
  return {
    Argument(node) {
      const argument = context.getArgument();
      if (!argument || getNamedType(argument.type).name !== 'Date') return;
      if (node.value.kind === Kind.STRING && !isIsoDate(node.value.value)) {
        context.reportError(
          new GraphQLError(
            `Argument "${node.name.value}" must be a date written YYYY-MM-DD, got ${JSON.stringify(node.value.value)}.`,
            {
              nodes: node,
              extensions: { code: ErrorCode.BAD_USER_INPUT, argument: node.name.value },
            },
          ),
        );
      }
    },
  };
}
