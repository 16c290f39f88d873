package org.carnet.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.StringReader;

/** RFC 6902 JSON Patch applied to a resource's JSON, with the Jakarta JSON-P implementation. */
final class JsonPatch {

    private JsonPatch() {}

    static String apply(String resourceJson, String patchJson) {
        JsonArray operations;
        try (var reader = Json.createReader(new StringReader(patchJson))) {
            operations = reader.readArray();
        } catch (JsonException | IllegalStateException e) {
            throw new InvalidRequestException("The JSON Patch body must be a JSON array of operations");
        }
        JsonObject target;
        try (var reader = Json.createReader(new StringReader(resourceJson))) {
            target = reader.readObject();
        }
        try {
            JsonStructure patched = Json.createPatch(operations).apply(target);
            return patched.toString();
        } catch (JsonException | ClassCastException e) {
            throw new InvalidRequestException("The JSON Patch cannot be applied: " + e.getMessage());
        }
    }
}
