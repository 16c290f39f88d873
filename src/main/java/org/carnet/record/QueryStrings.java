package org.carnet.record;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Turns FHIR search parameters (as they arrive in a URL or a form) into a {@link SearchQuery}. Unknown
 * parameters are ignored and reported (lenient handling, FHIR's default) or refused with HTTP 400 under
 * {@code Prefer: handling=strict}; unsupported features (chaining, {@code _has}) are always refused.
 */
@Component
public class QueryStrings {

    /** Parameters about the shape of the result, handled by the API layer, not the query. */
    public static final Set<String> RESULT_PARAMS = Set.of(
            "_count",
            "_sort",
            "_include",
            "_revinclude",
            "_summary",
            "_total",
            "_format",
            "_pretty",
            "_elements",
            "_getpages",
            "_getpagesoffset",
            "_bundletype",
            "_offset",
            "_contained",
            "_containedType",
            "_include:iterate",
            "_revinclude:iterate");

    /** A parsed query and the parameters that were ignored. */
    public record Parsed(SearchQuery query, List<String> ignored) {}

    private final SearchParameters parameters;

    QueryStrings(SearchParameters parameters) {
        this.parameters = parameters;
    }

    /** Parses a query string such as {@code identifier=urn:oid:1.2|123&active=true} (already without {@code ?}). */
    public Parsed parse(String type, String queryString, boolean strict) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (queryString != null && !queryString.isEmpty()) {
            for (String pair : queryString.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return parse(type, params, strict);
    }

    /** Parses decoded parameters: name (possibly with {@code :modifier}) to each occurrence's raw value. */
    public Parsed parse(String type, Map<String, List<String>> params, boolean strict) {
        if (!SupportedTypes.isSupported(type)) {
            throw new InvalidRequestException("Unknown resource type '" + type + "'");
        }
        Map<String, SearchParameters.Compiled> known = parameters.of(type);
        List<Criterion> criteria = new ArrayList<>();
        List<SearchQuery.SortKey> sort = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            String fullName = entry.getKey();
            if ("_sort".equals(fullName)) {
                entry.getValue().forEach(v -> sort.addAll(sortKeys(v)));
                continue;
            }
            if (RESULT_PARAMS.contains(fullName)) {
                continue;
            }
            int colon = fullName.indexOf(':');
            String name = colon < 0 ? fullName : fullName.substring(0, colon);
            String modifier = colon < 0 ? null : fullName.substring(colon + 1);
            if (name.equals("_has") || name.contains(".")) {
                throw new InvalidRequestException("Chained and reverse-chained search ('" + fullName
                        + "') is not supported; search the referenced type, then use its ids");
            }
            if (!known.containsKey(name) && !name.equals("_id") && !name.equals("_lastUpdated")) {
                if (strict) {
                    throw new InvalidRequestException("Unknown search parameter '" + name + "' for " + type
                            + ". Known parameters are listed in the CapabilityStatement (/fhir/metadata)");
                }
                ignored.add(fullName);
                continue;
            }
            for (String value : entry.getValue()) {
                List<String> values = splitValues(value);
                if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
                    throw new InvalidRequestException("Search parameter '" + fullName + "' has an empty value");
                }
                criteria.add(new Criterion(name, modifier, values));
            }
        }
        return new Parsed(new SearchQuery(type, criteria, sort), ignored);
    }

    private static List<SearchQuery.SortKey> sortKeys(String value) {
        List<SearchQuery.SortKey> keys = new ArrayList<>();
        for (String part : value.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            boolean descending = name.startsWith("-");
            keys.add(new SearchQuery.SortKey(descending ? name.substring(1) : name, descending));
        }
        return keys;
    }

    /** Splits on commas not escaped by a backslash, and removes the escapes ({@code \,} {@code \|} {@code \$} {@code \\}). */
    static List<String> splitValues(String raw) {
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() && ",$\\".indexOf(raw.charAt(i + 1)) >= 0) {
                current.append(raw.charAt(++i));
            } else if (c == ',') {
                values.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        values.add(current.toString());
        return values;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Malformed URL encoding in '" + value + "'");
        }
    }
}
