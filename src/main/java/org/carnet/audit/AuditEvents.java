package org.carnet.audit;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/**
 * Writes the AuditEvent (IHE Basic Audit Log Patterns shape) of an {@link AuditRecord} as FHIR JSON. Written by hand
 * because one is written for every request: HAPI's encoder took about half of the CPU of a read (JFR, ADR 0008); the
 * trail reads entries back with HAPI's parser, and the tests parse every shape written here.
 */
final class AuditEvents {

    static final String INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";
    static final String CARNET_EVENT_SYSTEM = "https://carnet.example.org/fhir/CodeSystem/audit-event";
    static final String ACCESS_MODE_SYSTEM = "https://carnet.example.org/fhir/CodeSystem/access-mode";
    static final String PROFESSION_SYSTEM =
            "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante";
    static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final int MAX_ENTITIES = 100;

    private static final Map<String, String> ACTIONS = Map.of(
            "create",
            "C",
            "update",
            "U",
            "patch",
            "U",
            "delete",
            "D",
            "transaction",
            "E",
            "sign-in",
            "E",
            "mask",
            "U",
            "unmask",
            "U");
    private static final Set<String> REST = Set.of(
            "read",
            "vread",
            "search-type",
            "history-instance",
            "history-type",
            "create",
            "update",
            "patch",
            "delete",
            "transaction");
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ISO_INSTANT;

    private AuditEvents() {}

    static String json(AuditRecord record) {
        Json out = new Json();
        boolean rest = REST.contains(record.interaction());
        String action = TrailText.RULE_CHANGES.contains(record.interaction())
                ? "U"
                : ACTIONS.getOrDefault(record.interaction(), "R");
        out.open().field("resourceType", "AuditEvent");
        out.key("meta")
                .open()
                .key("tag")
                .array()
                .open()
                .field("system", CARNET_EVENT_SYSTEM + "-count")
                .field("code", Integer.toString(record.resources().size()))
                .close()
                .end()
                .close();
        out.key("type").open();
        if (rest) {
            out.field("system", "http://terminology.hl7.org/CodeSystem/audit-event-type")
                    .field("code", "rest")
                    .field("display", "RESTful Operation");
        } else {
            out.field("system", CARNET_EVENT_SYSTEM).field("code", record.interaction());
        }
        out.close();
        out.key("subtype")
                .array()
                .open()
                .field("system", rest ? INTERACTION_SYSTEM : CARNET_EVENT_SYSTEM)
                .field("code", record.interaction())
                .close()
                .end();
        out.field("action", action);
        out.field("recorded", INSTANT.format(record.at().truncatedTo(ChronoUnit.MILLIS)));
        out.field("outcome", record.success() ? "0" : "4");
        if (record.mode() != null) {
            out.key("purposeOfEvent")
                    .array()
                    .open()
                    .key("coding")
                    .array()
                    .open()
                    .field("system", ACCESS_MODE_SYSTEM)
                    .field("code", record.mode())
                    .close();
            if (!"normal".equals(record.mode())) {
                out.open()
                        .field("system", "http://terminology.hl7.org/CodeSystem/v3-ActReason")
                        .field("code", "ETREAT")
                        .field("display", "emergency treatment")
                        .close();
            }
            out.end();
            if (record.reason() != null) {
                out.field("text", record.reason());
            }
            out.close().end();
        }
        AuditRecord.Actor actor = record.actor();
        boolean professional = actor.key().startsWith("idnat:");
        out.key("agent").array().open();
        out.key("type")
                .open()
                .key("coding")
                .array()
                .open()
                .field("system", CARNET_EVENT_SYSTEM + "-agent")
                .field("code", actor.kind())
                .close()
                .end()
                .close();
        if (actor.profession() != null) {
            out.key("role")
                    .array()
                    .open()
                    .key("coding")
                    .array()
                    .open()
                    .field("system", PROFESSION_SYSTEM)
                    .field("code", actor.profession())
                    .close()
                    .end()
                    .field("text", TrailText.profession(actor.profession(), actor.specialty()))
                    .close()
                    .end();
        }
        out.key("who")
                .open()
                .key("identifier")
                .open()
                .field("system", professional ? "urn:oid:1.2.250.1.71.4.2.1" : "urn:carnet:subject")
                .field("value", professional ? actor.key().substring(6) : actor.key())
                .close();
        if (actor.name() != null) {
            out.field("display", actor.name());
        }
        out.close();
        if (actor.name() != null) {
            out.field("name", actor.name());
        }
        out.key("requestor").raw("true").close().end();
        out.key("source")
                .open()
                .field("site", "Carnet")
                .key("observer")
                .open()
                .field("display", "Carnet")
                .close()
                .close();
        boolean entities = record.patientId() != null
                || !record.resources().isEmpty()
                || record.resources().size() > MAX_ENTITIES
                || record.detail() != null;
        if (entities) {
            out.key("entity").array();
            if (record.patientId() != null) {
                out.open()
                        .key("what")
                        .open()
                        .field("reference", "Patient/" + record.patientId())
                        .close()
                        .key("type")
                        .open()
                        .field("system", ENTITY_TYPE)
                        .field("code", "1")
                        .field("display", "Person")
                        .close()
                        .key("role")
                        .open()
                        .field("system", "http://terminology.hl7.org/CodeSystem/object-role")
                        .field("code", "1")
                        .field("display", "Patient")
                        .close()
                        .close();
            }
            record.resources().stream()
                    .limit(MAX_ENTITIES)
                    .forEach(what -> out.open()
                            .key("what")
                            .open()
                            .field("reference", what)
                            .close()
                            .key("type")
                            .open()
                            .field("system", ENTITY_TYPE)
                            .field("code", "2")
                            .field("display", "System Object")
                            .close()
                            .close());
            if (record.resources().size() > MAX_ENTITIES || record.detail() != null) {
                out.open()
                        .key("type")
                        .open()
                        .field("system", ENTITY_TYPE)
                        .field("code", "2")
                        .field("display", "System Object")
                        .close()
                        .field("name", record.resources().size() + " resources");
                if (record.detail() != null) {
                    out.field("description", record.detail());
                }
                out.close();
            }
            out.end();
        }
        return out.close().toString();
    }

    /** A minimal JSON writer: commas are placed by tracking whether the current container has members. */
    private static final class Json {
        private final StringBuilder sb = new StringBuilder(1024);
        private boolean first = true;

        Json open() {
            comma();
            sb.append('{');
            first = true;
            return this;
        }

        Json close() {
            sb.append('}');
            first = false;
            return this;
        }

        Json array() {
            sb.append('[');
            first = true;
            return this;
        }

        Json end() {
            sb.append(']');
            first = false;
            return this;
        }

        Json key(String name) {
            comma();
            quote(name).append(':');
            first = true;
            return this;
        }

        Json field(String name, String value) {
            key(name);
            first = false;
            quote(value);
            return this;
        }

        Json raw(String value) {
            first = false;
            sb.append(value);
            return this;
        }

        private void comma() {
            if (!first) {
                sb.append(',');
            }
            first = false;
        }

        private StringBuilder quote(String value) {
            sb.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"');
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
