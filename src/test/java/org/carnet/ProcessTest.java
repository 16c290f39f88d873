package org.carnet;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A test class that runs Carnet as processes of its own ({@link CarnetProcesses}): it kills them, or watches one start
 * from nothing. Such classes run beside the other integration tests but one at a time ({@link CarnetProcesses#LOCK}),
 * and carry the tag {@value #TAG}: the whole suite ({@code ./mvnw verify -Pfull}, what CI runs) includes them, the
 * quick one ({@code ./mvnw verify}) leaves them out.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(ProcessTest.TAG)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(CarnetProcesses.LOCK)
public @interface ProcessTest {
    String TAG = "processes";
}
