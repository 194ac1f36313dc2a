// spdx-expression-parse ships no types: the parse tree as its README describes it.
declare module 'spdx-expression-parse' {
  type Node = { license: string; plus?: boolean; exception?: string } | { left: Node; conjunction: 'and' | 'or'; right: Node };
  export default function parse(expression: string): Node;
}
