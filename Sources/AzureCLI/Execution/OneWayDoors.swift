/// Steps that cannot be undone in Azure, read off a parsed command (so every spelling az accepts
/// counts: a bare `--enable-purge-protection`, `=true`, an abbreviation): what a dry run marks
/// before anyone runs the procedure for real.
public enum OneWayDoors {
    public static func reason(_ invocation: Invocation) -> String? {
        let args = invocation.arguments
        switch invocation.spec.name {
        case "keyvault purge", "keyvault key purge":
            return "purge: the object is gone for good"
        case "keyvault create", "keyvault update":
            return args["enable_purge_protection"]?.boolValue == true
                ? "purge protection cannot be turned off again" : nil
        case "servicebus namespace encryption add", "portal servicebus encryption save":
            return "customer-managed encryption on a Service Bus namespace cannot be turned off"
        case "servicebus namespace create":
            return invocation.isGiven("encryption_config")
                ? "customer-managed encryption on a Service Bus namespace cannot be turned off" : nil
        case "servicebus georecovery-alias break-pair":
            return "break-pair ends the pairing"
        case "servicebus georecovery-alias fail-over":
            return "fail-over promotes the secondary and ends the pairing"
        case "postgres server replica stop":
            return "a stopped replica cannot replicate again"
        default:
            return nil
        }
    }
}
