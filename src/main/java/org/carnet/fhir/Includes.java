package org.carnet.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.carnet.record.RecordReads;
import org.carnet.record.SearchParam;
import org.carnet.record.SearchParamKind;
import org.carnet.record.SupportedTypes;

/**
 * The {@code _include} and {@code _revinclude} requests of a search, checked against the reference
 * parameters Carnet indexes: {@code Source:param[:Target]}, or {@code *} for every reference.
 */
record Includes(List<Spec> includes, List<Spec> revincludes) {

    /** One include: resources of {@code sourceType} linked through {@code param} ({@code *} = any) to {@code targetType}. */
    record Spec(
            String sourceType,
            String param,
            @org.jspecify.annotations.Nullable String targetType) {}

    static final Includes NONE = new Includes(List.of(), List.of());

    static Includes parse(String type, Map<String, String[]> params, RecordReads vault) {
        List<Spec> includes = new ArrayList<>();
        List<Spec> revincludes = new ArrayList<>();
        for (String value : params.getOrDefault("_include", new String[0])) {
            Spec spec = spec(value, vault);
            if (!spec.sourceType().equals(type)) {
                throw new InvalidRequestException("_include=" + value + " must start with the searched type " + type);
            }
            includes.add(spec);
        }
        for (String value : params.getOrDefault("_revinclude", new String[0])) {
            revincludes.add(spec(value, vault));
        }
        return new Includes(List.copyOf(includes), List.copyOf(revincludes));
    }

    boolean isEmpty() {
        return includes.isEmpty() && revincludes.isEmpty();
    }

    private static Spec spec(String value, RecordReads vault) {
        if ("*".equals(value)) {
            throw new InvalidRequestException("Bare _include=* is not supported; use Type:* instead");
        }
        String[] parts = value.split(":");
        if (parts.length < 2 || parts.length > 3 || !SupportedTypes.isSupported(parts[0])) {
            throw new InvalidRequestException(
                    "Invalid include '" + value + "': expected SourceType:param[:TargetType]");
        }
        if (!"*".equals(parts[1])) {
            SearchParam param = vault.searchParams(parts[0]).get(parts[1]);
            if (param == null || param.kind() != SearchParamKind.REFERENCE) {
                throw new InvalidRequestException("Invalid include '" + value + "': " + parts[1]
                        + " is not a reference parameter of " + parts[0]);
            }
        }
        String target = parts.length == 3 ? parts[2] : null;
        if (target != null && !SupportedTypes.isSupported(target)) {
            throw new InvalidRequestException("Invalid include '" + value + "': unknown type " + target);
        }
        return new Spec(parts[0], parts[1], target);
    }
}
