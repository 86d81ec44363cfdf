indirect enum Node: Sendable {
    case identity
    case current
    case field(String)
    case literal(JSON)
    case subexpression(Node, Node)
    case index(Int)
    case slice(Int?, Int?, Int?)
    case indexExpression(Node, Node)
    case projection(Node, Node)
    case valueProjection(Node, Node)
    case filterProjection(Node, Node, condition: Node)
    case flatten(Node)
    case comparator(TokenKind, Node, Node)
    case or(Node, Node)
    case and(Node, Node)
    case not(Node)
    case pipe(Node, Node)
    case multiSelectList([Node])
    case multiSelectHash([(String, Node)])
    case function(String, [Node])
    case expref(Node)

    var isSlice: Bool { if case .slice = self { return true } else { return false } }
}
