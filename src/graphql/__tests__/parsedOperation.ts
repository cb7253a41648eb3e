import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

/** A document's (first) operation and its fragments by name, as a resolver's `info` holds them. */
export function parsedOperation(document: string): {
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
} {
  const parsed = parse(document);
  const operation = parsed.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION,
  ) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    parsed.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return { operation, fragments };
}
