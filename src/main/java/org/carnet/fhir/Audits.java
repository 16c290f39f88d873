package org.carnet.fhir;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.carnet.access.AccessDecisions;
import org.carnet.access.Caller;
import org.carnet.audit.AuditRecord;
import org.carnet.audit.AuditTrail;
import org.springframework.stereotype.Component;

/** Turns what a request disclosed or changed into audit entries: one per patient record it touched. */
@Component
class Audits {

    private final AuditTrail trail;
    private final Clock clock;

    Audits(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    /** Records the current request now (inside the caller's transaction, for a write); once per request. */
    void recordNow(boolean success, @org.jspecify.annotations.Nullable String detail) {
        CurrentAccess.Request request = CurrentAccess.request();
        if (!request.recorded) {
            request.recorded = true;
            // only the CapabilityStatement has no interaction, and it is not audited
            String interaction =
                    java.util.Objects.requireNonNull(request.interaction, "an audited request has its interaction");
            trail.record(
                    records(request.decision, interaction, request.pathPatient, request.disclosed, success, detail));
        }
    }

    /**
     * Records what the current request disclosed, just before its answer is sent (so that no answer reaches a
     * client before its audit entry is stored); a no-op outside a signed-in request or once recorded.
     */
    void recordBeforeAnswer(jakarta.servlet.http.HttpServletRequest request) {
        if (CurrentAccess.active()) {
            CurrentAccess.Request current = CurrentAccess.request();
            if (!current.recorded && current.interaction != null) {
                recordNow(true, detail(request, current.interaction));
            }
        }
    }

    static @org.jspecify.annotations.Nullable String detail(
            jakarta.servlet.http.HttpServletRequest request, String interaction) {
        String query = request.getQueryString();
        // A search in a record's text ($search) keeps its words out of the trail: they can be health data themselves.
        if (!interaction.startsWith("search-") || query == null) {
            return null;
        }
        // So do the words of _content and _text, which that same search answers.
        String kept = java.util.Arrays.stream(query.split("&"))
                .filter(p -> !isTextSearch(p))
                .collect(java.util.stream.Collectors.joining("&"));
        if (kept.isEmpty()) {
            return null;
        }
        return kept.length() > 500 ? kept.substring(0, 500) : kept;
    }

    private static boolean isTextSearch(String parameter) {
        int end = parameter.indexOf('=');
        String name;
        try {
            name = java.net.URLDecoder.decode(
                    end < 0 ? parameter : parameter.substring(0, end), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return true; // not a name Tomcat decodes either: keep nothing of it
        }
        return name.startsWith("_content") || name.startsWith("_text");
    }

    /** Records a refused decision (a blocked professional, a refused emergency mode). */
    void recordRefusal(
            Caller caller,
            String interaction,
            String mode,
            @org.jspecify.annotations.Nullable String reason,
            String patient) {
        trail.record(List.of(new AuditRecord(
                patient,
                AuditRecord.Actor.of(caller),
                interaction,
                mode,
                reason,
                false,
                List.of(),
                null,
                clock.instant())));
    }

    List<AuditRecord> records(
            AccessDecisions.Decision decision,
            String interaction,
            @org.jspecify.annotations.Nullable String pathPatient,
            List<CurrentAccess.Disclosed> disclosed,
            boolean success,
            @org.jspecify.annotations.Nullable String detail) {
        Map<String, List<String>> byPatient = new LinkedHashMap<>();
        for (CurrentAccess.Disclosed d : disclosed) {
            byPatient
                    .computeIfAbsent(d.patientId() == null ? "" : d.patientId(), p -> new ArrayList<>())
                    .add(d.reference());
        }
        if (byPatient.isEmpty()) {
            byPatient.put(pathPatient == null ? "" : pathPatient, new ArrayList<>());
        }
        AuditRecord.Actor actor = AuditRecord.Actor.of(decision.caller());
        List<AuditRecord> records = new ArrayList<>();
        byPatient.forEach((patient, resources) -> records.add(new AuditRecord(
                patient.isEmpty() ? null : patient,
                actor,
                interaction,
                decision.mode().code(),
                decision.reason(),
                success,
                resources,
                detail,
                clock.instant())));
        return records;
    }
}
