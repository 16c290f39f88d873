package org.carnet.ingestion.hl7v2;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * HAPI set up for real French messages, and the message flattened to its segments in order.
 *
 * <p>Every version is read with the v2.5 structures (the MDM of the ANS examples are v2.6, and French
 * profiles add segments such as PRT): validation is off, unknown segments are kept in place, an unknown
 * OBX-2 reads as ST. Fields are then read by position through HAPI's {@link Terser}, which works the same on
 * the standard and the extra segments. The context is shared; HAPI's parsers are thread-safe.
 */
final class Hl7Segments {

    private static final HapiContext CONTEXT = context();

    private Hl7Segments() {}

    private static HapiContext context() {
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory("2.5"));
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setValidating(false);
        context.getParserConfiguration().setAllowUnknownVersions(true);
        context.getParserConfiguration().setInvalidObx2Type("ST");
        context.getParserConfiguration().setDefaultObx2Type("ST");
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        return context;
    }

    static PipeParser parser() {
        return CONTEXT.getPipeParser();
    }

    /** The message's non-empty segments in message order. */
    static List<Segment> of(Message message) throws HL7Exception {
        List<Segment> segments = new ArrayList<>();
        collect(message, segments);
        return segments;
    }

    private static void collect(Group group, List<Segment> into) throws HL7Exception {
        for (String name : group.getNames()) {
            for (Structure structure : group.getAll(name)) {
                if (structure instanceof Group child) {
                    collect(child, into);
                } else if (structure instanceof Segment segment && !segment.isEmpty()) {
                    into.add(segment);
                }
            }
        }
    }

    /** Component {@code component} (from 1) of repetition {@code rep} (from 0) of a field; null when empty. */
    static @org.jspecify.annotations.Nullable String get(Segment segment, int field, int rep, int component) {
        return get(segment, field, rep, component, 1);
    }

    static @org.jspecify.annotations.Nullable String get(Segment segment, int field, int component) {
        return get(segment, field, 0, component, 1);
    }

    static @org.jspecify.annotations.Nullable String get(
            Segment segment, int field, int rep, int component, int subcomponent) {
        try {
            if (field > segment.numFields() || rep >= segment.getField(field).length) {
                return null;
            }
            return clean(Terser.get(segment, field, rep, component, subcomponent));
        } catch (HL7Exception e) {
            throw new IllegalStateException("cannot read " + segment.getName() + "-" + field, e);
        }
    }

    /** The repetitions of a field. */
    static Type[] repetitions(Segment segment, int field) {
        try {
            return field > segment.numFields() ? new Type[0] : segment.getField(field);
        } catch (HL7Exception e) {
            throw new IllegalStateException("cannot read " + segment.getName() + "-" + field, e);
        }
    }

    /** Component and subcomponent (from 1) of a field value. */
    static @org.jspecify.annotations.Nullable String get(Type value, int component, int subcomponent) {
        return clean(Terser.getPrimitive(value, component, subcomponent).getValue());
    }

    /** Blank, and the HL7 explicit null {@code ""}, read as null. */
    private static @org.jspecify.annotations.Nullable String clean(@org.jspecify.annotations.Nullable String value) {
        return value == null || value.isBlank() || value.equals("\"\"") ? null : value;
    }
}
