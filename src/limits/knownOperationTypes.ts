import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * Operations must be of a type the schema has: `mutation { … }` against a read-only schema is a request
 * error (GRAPHQL_VALIDATION_FAILED, 400), not an execution failure answered as a 500-like "Unexpected error".
 * graphql-js 17 has this rule (KnownOperationTypesRule); 16 leaves it to `execute`.
 */
export function KnownOperationTypesRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      if (!schema.getRootType(node.operation)) {
        context.reportError(
          new GraphQLError(
            `This API has no ${node.operation} operations; it answers ${schema.getMutationType() ? 'queries and mutations' : 'queries'} only.`,
            {
              nodes: node,
            },
          ),
        );
      }
    },
  };
}
