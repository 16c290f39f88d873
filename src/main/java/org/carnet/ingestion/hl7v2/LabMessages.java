package org.carnet.ingestion.hl7v2;

import static org.carnet.ingestion.hl7v2.Hl7Segments.get;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.carnet.ingestion.cda.CdaIds;
import org.carnet.ingestion.cda.Coding;
import org.carnet.ingestion.cda.Hl7Time;

/** Builds a {@link LabMessage} from a parsed ORU^R01 or MDM message; the rules are on {@link LabMessage}. */
final class LabMessages {

    private static final Set<String> SUPPORTED = Set.of("ORU^R01", "MDM^T02", "MDM^T04", "MDM^T10", "MDM^T11");
    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9]\\d*))+");
    private static final String IDNAT_PS_OID = "1.2.250.1.71.4.2.1";

    private final List<Segment> segments;

    private LabMessages(List<Segment> segments) {
        this.segments = segments;
    }

    static LabMessage from(Message message) throws Hl7Exception {
        try {
            return new LabMessages(Hl7Segments.of(message)).build();
        } catch (HL7Exception e) {
            throw new Hl7Exception("not an HL7 v2 message: " + e.getMessage(), e);
        }
    }

    private LabMessage build() throws Hl7Exception {
        Segment msh = java.util.Objects.requireNonNull(first("MSH"), "a parsed message starts with its MSH");
        String type = messageType(msh);
        String controlId = get(msh, 10, 1);
        if (controlId == null) {
            throw new Hl7Exception("no message control id (MSH-10)");
        }
        Segment pid = patient();
        List<PatientId> patientIds = patientIds(pid);
        int name = legalName(pid);
        Segment obr = first("OBR");
        Segment orc = first("ORC");
        Segment txa = first("TXA");
        Xcn orderer = orderer(obr, orc);

        Observations rows = Observations.of(segments);
        EmbeddedDocument first = rows.firstDocument();
        CdaIds cda = first == null || !first.isCda() ? new CdaIds(null, null) : CdaIds.of(first.content());
        Action action = action(type, first == null ? null : first.status(), orc);
        String documentId = firstOf(txa == null ? null : get(txa, 12, 1), cda.documentId());
        String replaced = action != Action.REPLACE
                ? null
                : firstOf(txa == null ? null : get(txa, 13, 1), cda.replacedDocumentId());
        Coding reportCode = obr == null ? null : Observations.coding(obr, 4);
        Instant observed = obr == null ? null : Observations.instant(obr, 7, "OBR-7");
        if (observed == null && txa != null) {
            observed = Observations.instant(txa, 4, "TXA-4");
        }
        return new LabMessage(
                controlId,
                hd(msh, 3),
                hd(msh, 4),
                type,
                action,
                documentId,
                replaced,
                patientIds,
                get(pid, 5, name, 1),
                givens(pid, name),
                birthDate(pid),
                get(pid, 8, 1),
                orderer == null ? null : orderer.idNat(),
                orderer == null ? null : orderer.component(2),
                orderer == null ? null : orderer.component(3),
                orderId(obr, orc),
                reportCode != null ? reportCode : first == null ? null : first.code(),
                observed,
                Observations.instant(msh, 7, "MSH-7"),
                rows.orders,
                rows.documents,
                movement(),
                rows.flags);
    }

    /** The ZBE segment (IHE PAM France) of the message, or null. */
    private LabMessage.@org.jspecify.annotations.Nullable Movement movement() throws Hl7Exception {
        Segment zbe = first("ZBE");
        if (zbe == null) {
            return null;
        }
        Segment pv1 = first("PV1");
        return new LabMessage.Movement(
                get(zbe, 1, 1),
                Observations.instant(zbe, 2, "ZBE-2"),
                get(zbe, 4, 1),
                firstOf(get(zbe, 7, 10), get(zbe, 7, 3)),
                get(zbe, 7, 1),
                get(zbe, 9, 1),
                pv1 == null ? null : get(pv1, 2, 1));
    }

    private static String messageType(Segment msh) throws Hl7Exception {
        String code = get(msh, 9, 1);
        String trigger = get(msh, 9, 2);
        String type = code == null ? "" : trigger == null ? code : code + "^" + trigger;
        if (!SUPPORTED.contains(type)) {
            throw new Hl7Exception(type.isEmpty() ? "no message type (MSH-9)" : "unsupported message type " + type);
        }
        return type;
    }

    private Segment patient() throws Hl7Exception {
        List<Segment> pids =
                segments.stream().filter(s -> s.getName().equals("PID")).toList();
        if (pids.size() > 1) {
            throw new Hl7Exception("more than one patient (PID) in a message is not supported");
        }
        if (pids.isEmpty()) {
            throw new Hl7Exception("no patient identifier (PID-3)");
        }
        return pids.get(0);
    }

    private static List<PatientId> patientIds(Segment pid) throws Hl7Exception {
        List<PatientId> ids = new ArrayList<>();
        for (int rep = 0; rep < Hl7Segments.repetitions(pid, 3).length; rep++) {
            String value = get(pid, 3, rep, 1);
            if (value != null) {
                String oid = get(pid, 3, rep, 4, 2);
                ids.add(new PatientId(
                        value, oid != null && OID.matcher(oid).matches() ? oid : null, get(pid, 3, rep, 5)));
            }
        }
        if (ids.isEmpty()) {
            throw new Hl7Exception("no patient identifier (PID-3)");
        }
        return ids;
    }

    /** The PID-5 repetition of type L (legal, the birth name in France), else the first. */
    private static int legalName(Segment pid) {
        for (int rep = 0; rep < Hl7Segments.repetitions(pid, 5).length; rep++) {
            if ("L".equals(get(pid, 5, rep, 7))) {
                return rep;
            }
        }
        return 0;
    }

    /**
     * French profiles put the first given name in XPN-2 and all birth given names, space-separated, in XPN-3;
     * elsewhere XPN-3 holds only the further names.
     */
    private static List<String> givens(Segment pid, int name) {
        String first = get(pid, 5, name, 2);
        String all = get(pid, 5, name, 3);
        List<String> givens = new ArrayList<>();
        List<String> further =
                all == null ? List.of() : Arrays.asList(all.strip().split("\\s+"));
        if (first != null && (further.isEmpty() || !further.get(0).equals(first))) {
            givens.add(first);
        }
        givens.addAll(further);
        return givens;
    }

    private static @org.jspecify.annotations.Nullable LocalDate birthDate(Segment pid) throws Hl7Exception {
        try {
            return Hl7Time.date(get(pid, 7, 1));
        } catch (DateTimeException e) {
            throw new Hl7Exception("invalid date in PID-7", e);
        }
    }

    /** The ordering provider: OBR-16 when given, else ORC-12. */
    private static @org.jspecify.annotations.Nullable Xcn orderer(
            @org.jspecify.annotations.Nullable Segment obr, @org.jspecify.annotations.Nullable Segment orc) {
        Xcn ordering = obr == null ? null : new Xcn(obr, 16);
        if (ordering != null && (ordering.component(1) != null || ordering.component(2) != null)) {
            return ordering;
        }
        Xcn entering = orc == null ? null : new Xcn(orc, 12);
        return entering != null && (entering.component(1) != null || entering.component(2) != null) ? entering : null;
    }

    /** The first repetition of an XCN field. */
    private record Xcn(Segment segment, int field) {

        @org.jspecify.annotations.Nullable
        String component(int component) {
            return get(segment, field, 0, component);
        }

        /** XCN-1 when the XCN says it is an IdNat_PS (type IDNPS or RPPS, or the IdNat_PS authority). */
        @org.jspecify.annotations.Nullable
        String idNat() {
            String type = component(13);
            boolean idNat =
                    "IDNPS".equals(type) || "RPPS".equals(type) || IDNAT_PS_OID.equals(get(segment, field, 0, 9, 2));
            return idNat ? component(1) : null;
        }
    }

    private static @org.jspecify.annotations.Nullable String orderId(
            @org.jspecify.annotations.Nullable Segment obr, @org.jspecify.annotations.Nullable Segment orc) {
        String id = obr == null ? null : firstOf(get(obr, 3, 1), get(obr, 2, 1));
        return id != null || orc == null ? id : firstOf(get(orc, 3, 1), get(orc, 2, 1));
    }

    /**
     * OBX-11 of the document row, else the MDM event, else ORC-1; the ANS examples set OBX-11 in every version
     * and ORC-1 only from version 2.1 of the profile.
     */
    private static Action action(
            String type,
            @org.jspecify.annotations.Nullable String documentStatus,
            @org.jspecify.annotations.Nullable Segment orc) {
        if ("D".equals(documentStatus)) {
            return Action.DELETE;
        }
        if ("C".equals(documentStatus)) {
            return Action.REPLACE;
        }
        if (type.equals("MDM^T11")) {
            return Action.DELETE;
        }
        if (type.equals("MDM^T10")) {
            return Action.REPLACE;
        }
        String control = orc == null ? null : get(orc, 1, 1);
        return "CA".equals(control) ? Action.DELETE : "RO".equals(control) ? Action.REPLACE : Action.INITIAL;
    }

    /** An HD: its namespace, else its universal id. */
    private static @org.jspecify.annotations.Nullable String hd(Segment msh, int field) {
        return firstOf(get(msh, field, 1), get(msh, field, 2));
    }

    private @org.jspecify.annotations.Nullable Segment first(String name) {
        return segments.stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static @org.jspecify.annotations.Nullable String firstOf(
            @org.jspecify.annotations.Nullable String value, @org.jspecify.annotations.Nullable String fallback) {
        return value != null ? value : fallback;
    }
}
