package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * A fuzz test: every search parameter of a set of types chosen to cover every search parameter type, the request
 * headers Carnet reads, every operation of the CapabilityStatement, ids in paths and hostile bodies, each with hostile
 * values (NUL, other control characters, invalid UTF-8, overlong, overflowing numbers, SQL and path tricks). The
 * requests are written byte for byte on a socket, so nothing is cleaned up on the way. No answer may be a 5xx: a
 * client's mistake is a 4xx with an OperationOutcome. Bounded: a few thousand requests.
 */
class HostileInputIT extends CarnetIT {

    /** Raw (already percent-encoded where a URL needs it) hostile values for URLs. */
    private static final List<String> URL_VALUES = List.of(
            "%00",
            "a%00b",
            "%01",
            "%1B%5B31m",
            "%C3%28",
            "%FF%FE",
            "%ED%A0%80",
            "%E2%80%AE",
            "A".repeat(9000),
            "99999999999999999999999",
            "-99999999999999999999",
            "1e999999",
            "NaN",
            "ge",
            "eq%00",
            "ap2020-13-45",
            "%7C",
            "%7C%7C%7C",
            "a%7Cb%7Cc",
            "%2C%2C%2C",
            "%25",
            "%27%3B%20drop%20table%20resource%3B--",
            "%5C",
            "Patient%2F",
            "Patient%2F%00",
            "..%2F..%2Fetc%2Fpasswd",
            "2020-13-45T99%3A99",
            "%24",
            "null",
            "");

    /** The values tried on every search parameter (the others go to paths, operations and paging). */
    private static final List<String> SEARCH_VALUES = List.of(
            "a%00b",
            "%01",
            "%C3%28",
            "A".repeat(9000),
            "99999999999999999999999",
            "1e999999",
            "eq%00",
            "ap2020-13-45",
            "a%7Cb%7Cc",
            "%27%3B%20drop%20table%20resource%3B--",
            "Patient%2F%00",
            "");

    /** Hostile values for headers (bytes as they go on the wire, ISO-8859-1). */
    private static final List<String> HEADER_VALUES = List.of(
            "\u0001",
            "\u00ff\u00fe",
            "A".repeat(7000),
            "W/\"99999999999999999999\"",
            "Patient?name=%00",
            "Patient/../../x",
            "*/*;q=99999999999",
            "application/fhir+json; charset=ebcdic",
            "bris-de-glace",
            "");

    private static final List<String> HEADERS = List.of(
            "Accept",
            "Content-Type",
            "Prefer",
            "If-Match",
            "If-None-Exist",
            "If-None-Match",
            "If-Modified-Since",
            "Carnet-Access-Mode",
            "Carnet-Access-Patient",
            "Carnet-Access-Reason",
            "X-Security-Context",
            "Range",
            "Accept-Charset",
            "Authorization");

    /** Types whose parameters cover token, string, date, reference, uri, number, quantity, composite and special. */
    private static final List<String> TYPES =
            List.of("Patient", "Observation", "DocumentReference", "ServiceRequest", "RiskAssessment", "Location");

    private static final List<String> COMMON = List.of(
            "_id",
            "_lastUpdated",
            "_count",
            "_sort",
            "_include",
            "_revinclude",
            "_elements",
            "_summary",
            "_total",
            "_format",
            "_since",
            "_text",
            "_content",
            "_has:x:y:z",
            "_getpages",
            "_getpagesoffset",
            "_pretty",
            "_tag",
            "_security",
            "_profile");

    /** The parameter names tried on an operation whose parameters are not known from its declaration. */
    private static final Set<String> FALLBACK_NAMES = Set.of(
            "practitioner",
            "mode",
            "until",
            "patient",
            "survivor",
            "merged",
            "_count",
            "type",
            "since",
            "status",
            "resource");

    @Autowired
    ApplicationContext context;

    private final List<String> failures = new ArrayList<>();
    private final Set<String> walked = new TreeSet<>();
    private int requests;
    private String token;

    @Test
    void noHostileValueAnywhereGetsA5xx() throws Exception {
        token = token(SYSTEM);
        String patient = created(patient("Fuzz", unique())).getIdElement().getIdPart();
        CapabilityStatement capability = FHIR.newJsonParser()
                .parseResource(CapabilityStatement.class, get("/metadata").body());

        // Search parameters, with their modifiers, on every type above.
        for (CapabilityStatement.CapabilityStatementRestResourceComponent resource :
                capability.getRestFirstRep().getResource()) {
            if (!TYPES.contains(resource.getType())) {
                continue;
            }
            Set<String> names = new LinkedHashSet<>();
            if (resource.getType().equals("Patient") || resource.getType().equals("Observation")) {
                names.addAll(COMMON);
            }
            resource.getSearchParam().forEach(p -> names.add(p.getName()));
            for (String name : names) {
                for (String value : SEARCH_VALUES) {
                    raw("GET", "/fhir/" + resource.getType() + "?" + name + "=" + value, null, null);
                }
                for (String modifier : List.of(":missing", ":not", ":contains", ":%00", ".name")) {
                    raw("GET", "/fhir/" + resource.getType() + "?" + name + modifier + "=%00x", null, null);
                }
                walked.add("GET /" + resource.getType() + "?" + name);
            }
            // The same by POST _search (a form body).
            for (String value : URL_VALUES.subList(0, 9)) {
                raw(
                        "POST",
                        "/fhir/" + resource.getType() + "/_search",
                        "application/x-www-form-urlencoded",
                        "name=" + value + "&_id=" + value);
            }
            walked.add("POST /" + resource.getType() + "/_search");
        }

        // Paths: ids, versions, history, contents.
        for (String value : URL_VALUES.subList(0, URL_VALUES.size() - 1)) {
            if (value.length() > 100 || value.startsWith("%2") || value.startsWith("%7") || value.startsWith("%E")) {
                continue;
            }
            for (String path : List.of(
                    "/fhir/Patient/" + value,
                    "/fhir/Patient/" + patient + "/_history/" + value,
                    "/fhir/Patient/" + value + "/_history",
                    "/fhir/Binary/" + value,
                    "/fhir/" + value,
                    "/fhir/Patient/" + value + "/$everything",
                    "/fhir/Patient/_history?_since=" + value,
                    "/fhir/_history?_since=" + value + "&_count=" + value,
                    "/fhir/Patient/" + patient + "/$everything?_count=" + value,
                    "/fhir?_getpages=" + value + "&_getpagesoffset=" + value + "&_count=" + value)) {
                raw("GET", path, null, null);
                raw("DELETE", path, null, null);
            }
        }
        walked.addAll(List.of(
                "GET,DELETE /Type/id",
                "GET /Type/id/_history/vid",
                "GET /Type/id/_history",
                "GET /Binary/id",
                "GET /Type/_history",
                "GET /_history",
                "GET /Patient/id/$everything",
                "GET ?_getpages"));
        pagingOverflow();

        // Headers Carnet reads, on a read, a search and a write.
        for (String header : HEADERS) {
            for (String value : HEADER_VALUES) {
                raw("GET", "/fhir/Patient/" + patient, null, null, header, value);
                raw("GET", "/fhir/Patient?_count=2", null, null, header, value);
                raw("POST", "/fhir/Patient", "application/fhir+json", "{\"resourceType\":\"Patient\"}", header, value);
            }
            walked.add("header " + header);
        }
        for (String value : HEADER_VALUES) {
            raw("POST", "/fhir/Binary", "application/pdf", "%PDF-1.4", "X-Security-Context", value);
            raw("POST", "/fhir/Binary", value, "%PDF-1.4", "X-Security-Context", "Patient/" + patient);
        }
        walked.add("POST /Binary (X-Security-Context, Content-Type)");

        // Every operation of the CapabilityStatement, at the type and instance level, with hostile parameters.
        Set<String> operations = new TreeSet<>();
        capability.getRestFirstRep().getOperation().forEach(o -> operations.add("/fhir/$" + o.getName()));
        for (CapabilityStatement.CapabilityStatementRestResourceComponent resource :
                capability.getRestFirstRep().getResource()) {
            for (CapabilityStatement.CapabilityStatementRestResourceOperationComponent operation :
                    resource.getOperation()) {
                operations.add("/fhir/" + resource.getType() + "/$" + operation.getName());
                operations.add("/fhir/" + resource.getType() + "/"
                        + (resource.getType().equals("Patient") ? patient : "x") + "/$" + operation.getName());
            }
        }
        // The CapabilityStatement does not list every operation: every one Carnet implements, by level.
        for (String name : List.of(
                "$access-rules",
                "$designate-traitant",
                "$add-care-team",
                "$authorise",
                "$revoke",
                "$object",
                "$block",
                "$unblock",
                "$withdraw-objection",
                "$refuse-mode",
                "$allow-mode",
                "$trail",
                "$verify-trail",
                "$notifications",
                "$documents",
                "$everything",
                "$insi-retrieve",
                "$insi-verify",
                "$identity-validate",
                "$duplicates")) {
            operations.add("/fhir/Patient/" + patient + "/" + name);
            operations.add("/fhir/Patient/%00/" + name);
        }
        for (String name : List.of("$duplicates", "$dismiss-duplicate", "$merge", "$unmerge")) {
            operations.add("/fhir/Patient/" + name);
        }
        // A fresh record: the hostile DELETEs above may have removed the first one.
        patient = created(patient("Fuzz", unique())).getIdElement().getIdPart();
        for (String name : List.of("$access-rules", "$block", "$trail", "$everything", "$insi-retrieve", "$merge")) {
            operations.add("/fhir/Patient/" + patient + "/" + name);
        }
        String document = sendAs(
                        SYSTEM,
                        "POST",
                        "/DocumentReference",
                        "application/fhir+json",
                        "{\"resourceType\":\"DocumentReference\",\"status\":\"current\",\"subject\":{\"reference\":\"Patient/"
                                + patient
                                + "\"},\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"eA==\"}}]}")
                .headers()
                .firstValue("Location")
                .orElseThrow()
                .replaceAll(".*/DocumentReference/([^/]+).*", "$1");
        for (String name : List.of("$mask", "$unmask")) {
            operations.add("/fhir/DocumentReference/" + document + "/" + name);
            operations.add("/fhir/DocumentReference/%00/" + name);
        }
        operations.add("/fhir/$notifications");
        Map<String, Set<String>> parameters = operationParameters();
        for (String operation : operations) {
            String path = operation;
            Set<String> names = parameters.getOrDefault(path.substring(path.lastIndexOf('$')), FALLBACK_NAMES);
            for (String body : operationBodies(names)) {
                raw("POST", path, "application/fhir+json", body);
            }
            Set<String> inQuery = new TreeSet<>(names);
            inQuery.addAll(List.of("practitioner", "_count", "since", "type", "status", "mode"));
            for (String value : SEARCH_VALUES.subList(0, 6)) {
                StringBuilder query = new StringBuilder();
                inQuery.forEach(name -> query.append(query.isEmpty() ? "?" : "&")
                        .append(name)
                        .append('=')
                        .append(value));
                raw("GET", path + query, null, null);
            }
            walked.add("operation "
                    + path.replaceAll("/fhir/([A-Za-z]+/)?([^/$]+/)?", "$1").replace(patient, "id"));
        }
        assertThat(parameters)
                .as("operations found with their parameters")
                .containsKeys("$merge", "$authorise", "$insi-retrieve");
        assertThat(parameters.get("$authorise")).containsExactlyInAnyOrder("practitioner", "until");

        // Bodies.
        for (String body : bodies(patient)) {
            raw("POST", "/fhir", "application/fhir+json", body);
            raw("POST", "/fhir/Patient", "application/fhir+json", body);
            raw("PUT", "/fhir/Patient/" + patient, "application/fhir+json", body);
            raw("PATCH", "/fhir/Patient/" + patient, "application/json-patch+json", body);
            raw("POST", "/fhir/DocumentReference", "application/fhir+json", body);
        }
        walked.addAll(List.of(
                "POST / (Bundle)", "POST /Patient", "PUT /Patient/id", "PATCH /Patient/id", "POST /DocumentReference"));

        System.out.println(
                "Hostile input: " + requests + " requests over " + walked.size() + " endpoints and parameters");
        walked.forEach(w -> System.out.println("  walked: " + w));
        assertThat(failures).as("answers 5xx to a client's mistake").isEmpty();
        assertThat(requests).isGreaterThan(2500);
    }

    private void pagingOverflow() throws Exception {
        for (int i = 0; i < 3; i++) {
            created(patient("Fuzzpages", unique()));
        }
        String first = get("/Patient?family=Fuzzpages&_count=1").body();
        java.util.regex.Matcher id =
                java.util.regex.Pattern.compile("_getpages=([0-9a-f-]+)").matcher(first);
        assertThat(id.find()).as(first).isTrue();
        for (String offset : List.of("2147483647", "-2147483648", "99999999999", "-1", "abc", "%00")) {
            for (String count : List.of("2147483647", "-2147483648", "99999999999", "0", "-1", "%00")) {
                for (String format : List.of("", "&_format=xml", "&_summary=true")) {
                    raw(
                            "GET",
                            "/fhir?_getpages=" + id.group(1) + "&_getpagesoffset=" + offset + "&_count=" + count
                                    + format,
                            null,
                            null);
                }
            }
        }
        walked.add("GET ?_getpages&_getpagesoffset&_count (overflow)");
    }

    /**
     * The hostile bodies of an operation: bodies that are no Parameters at all, then each hostile value (NUL, overlong,
     * an overflowing integer, a reference with a NUL) under each parameter the operation takes, and under one it does
     * not take. A parameter the operation does not take is bound to nothing, whatever its name: one such name stands for
     * all (the test sent each of eleven names to every operation, most of them foreign to it).
     */
    private static List<String> operationBodies(Set<String> parameters) {
        List<String> bodies = new ArrayList<>(List.of(
                "",
                "{}",
                "null",
                "[]",
                "{\"resourceType\":\"Parameters\"}",
                "{\"resourceType\":\"Patient\"}",
                "<Parameters xmlns=\"http://hl7.org/fhir\"/>"));
        Set<String> names = new TreeSet<>(parameters);
        names.add("not-a-parameter");
        for (String name : names) {
            for (String value : List.of("\\u0000", "x".repeat(5000))) {
                bodies.add("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"" + name
                        + "\",\"valueString\":\"" + value + "\"}]}");
            }
            bodies.add("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"" + name
                    + "\",\"valueInteger\":99999999999999999999}]}");
            bodies.add("{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"" + name
                    + "\",\"valueReference\":{\"reference\":\"Patient/\\u0000\"}}]}");
        }
        return bodies;
    }

    /**
     * The parameters of each operation the FHIR server serves, by name ({@code $merge}), as its providers' {@code
     * @Operation} methods declare them ({@code @OperationParam}); the union when several methods share a name. An
     * operation with a method that could read the request otherwise (any argument that is not an {@code @IdParam} or
     * an {@code @OperationParam}) is left out, and gets {@link #FALLBACK_NAMES}.
     */
    private Map<String, Set<String>> operationParameters() {
        RestfulServer server = Arrays.stream(context.getBeanNamesForType(ServletRegistrationBean.class))
                .map(context::getBean)
                .map(bean -> ((ServletRegistrationBean<?>) bean).getServlet())
                .filter(RestfulServer.class::isInstance)
                .map(RestfulServer.class::cast)
                .findFirst()
                .orElseThrow();
        List<Object> providers = new ArrayList<>(server.getResourceProviders());
        providers.addAll(server.getPlainProviders());
        Map<String, Set<String>> parameters = new TreeMap<>();
        Set<String> readOtherwise = new TreeSet<>();
        for (Object provider : providers) {
            for (Method method : ClassUtils.getUserClass(provider).getMethods()) {
                Operation operation = method.getAnnotation(Operation.class);
                if (operation == null) {
                    continue;
                }
                Set<String> names = parameters.computeIfAbsent(operation.name(), n -> new TreeSet<>());
                for (Parameter parameter : method.getParameters()) {
                    OperationParam declared = parameter.getAnnotation(OperationParam.class);
                    if (declared != null) {
                        names.add(declared.name());
                    } else if (!parameter.isAnnotationPresent(IdParam.class)) {
                        readOtherwise.add(operation.name());
                    }
                }
            }
        }
        readOtherwise.forEach(parameters::remove);
        return parameters;
    }

    private static List<String> bodies(String patient) {
        List<String> bodies = new ArrayList<>(List.of(
                "{\"resourceType\":\"Bundle\"}",
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{}]}",
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{}}]}",
                "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient?name=%00\"}}]}",
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/\\u0000\"}}]}",
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\"},"
                        + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\",\"ifNoneExist\":\"name=\\u0000\"}}]}",
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\","
                        + "\"id\":\"" + patient + "\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/" + patient
                        + "\",\"ifMatch\":\"W/\\\"99999999999999999999\\\"\"}}]}",
                "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\",\"name\":[{\"family\":\"a\\u0000b\"}]}",
                "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\",\"birthDate\":\"99999-99-99\"}",
                "{\"resourceType\":\"Patient\",\"id\":\"" + patient
                        + "\",\"multipleBirthInteger\":99999999999999999999}",
                "{\"resourceType\":\"DocumentReference\",\"status\":\"current\",\"subject\":{\"reference\":\"Patient/"
                        + patient + "\"},\"masterIdentifier\":{\"value\":\"\\u0000\"},\"content\":[{\"attachment\":"
                        + "{\"contentType\":\"text/plain\",\"data\":\"!!!not base64\"}}]}",
                "{\"resourceType\":\"DocumentReference\",\"status\":\"current\",\"subject\":{\"reference\":\"Patient/"
                        + patient + "\"},\"content\":[{\"attachment\":{\"contentType\":\"application/pdf\","
                        + "\"url\":\"Binary/\\u0000\"}}]}",
                "[{\"op\":\"replace\",\"path\":\"/name/0/family\",\"value\":\"\\u0000\"}]",
                "[{\"op\":\"move\",\"from\":\"/id\",\"path\":\"/id/x\"}]",
                "[{\"op\":\"add\",\"path\":\"/extension/99999999999999\",\"value\":{}}]",
                "{\"resourceType\":\"Patient\",\"name\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
                "{\"resourceType\":\"" + "X".repeat(5000) + "\"}",
                "{\"resourceType\":\"Patient\"" + ",\"a\":1".repeat(20000) + "}",
                "not json at all \u0000"));
        bodies.add(new String(
                new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, StandardCharsets.ISO_8859_1));
        return bodies;
    }

    /** Sends one request byte for byte (ISO-8859-1 for the line and headers) and records a 5xx. */
    private void raw(String method, String target, String contentType, String body, String... headers)
            throws IOException {
        requests++;
        byte[] content = body == null
                ? new byte[0]
                : body.chars().allMatch(c -> c < 256)
                        ? body.getBytes(StandardCharsets.ISO_8859_1)
                        : body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        head.append(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: localhost:")
                .append(port)
                .append("\r\n");
        boolean ownAuthorization = false;
        for (int i = 0; i < headers.length; i += 2) {
            ownAuthorization |= headers[i].equalsIgnoreCase("Authorization");
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (!ownAuthorization) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
        request.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.write(content);
        int status;
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            status = status(socket.getInputStream());
        }
        if (status >= 500 || status < 100) {
            String shown = target.length() > 150 ? target.substring(0, 150) + "…" : target;
            failures.add(status + " " + method + " " + shown + (headers.length > 0 ? " [" + headers[0] + "]" : "")
                    + (body != null && body.length() < 200 ? " body " + body : ""));
        }
    }

    private static int status(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            line.append((char) c);
        }
        String[] parts = line.toString().split(" ");
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
