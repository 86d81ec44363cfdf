import Foundation

/// How a service uses a customer-managed key for its data key, every step through the one access
/// path as the service's identity: wrap the data key with a key version and unwrap the result.
/// The round trip is what proves the identity holds both wrapKey and unwrapKey and that the
/// version is usable; PostgreSQL's key checks and Service Bus's polls are this call.
extension World {
    mutating func wrapDataKey(
        _ dataKey: Data, vault: String, key: String, version: String, caller: Caller
    ) throws -> Data {
        let wrapped = try cryptoOperation(
            .wrapKey, vault: vault, name: key, version: version, algorithm: DataKey.wrapAlgorithm, data: dataKey,
            caller: caller
        ).result
        let back = try unwrapDataKey(wrapped, vault: vault, key: key, version: version, caller: caller)
        guard back == dataKey else {
            throw CloudError(
                "InternalServerError", "The data key did not survive a wrap and unwrap round trip.", status: 500)
        }
        return wrapped
    }

    mutating func unwrapDataKey(
        _ wrapped: Data, vault: String, key: String, version: String, caller: Caller
    ) throws -> Data {
        try cryptoOperation(
            .unwrapKey, vault: vault, name: key, version: version, algorithm: DataKey.wrapAlgorithm, data: wrapped,
            caller: caller
        ).result
    }
}
