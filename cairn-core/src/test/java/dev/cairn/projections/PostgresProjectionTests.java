package dev.cairn.projections;

import dev.cairn.PostgresSchema;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import org.junit.jupiter.api.extension.RegisterExtension;

/* The projection tests once more on PostgreSQL, each test (and each jqwik try) in a fresh schema. */

class PostgresProjectionsTest extends ProjectionsTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

@AddLifecycleHook(PostgresRebuildEqualsIncrementalProperty.NeedsServer.class)
class PostgresRebuildEqualsIncrementalProperty extends RebuildEqualsIncrementalProperty {
    @Override
    String freshStore() throws Exception {
        return PostgresSchema.urlOf(PostgresSchema.createSchema());
    }

    @Override
    void discard(String location) throws Exception {
        PostgresSchema.dropSchema(location.substring(location.indexOf("&currentSchema=") + 15));
    }

    /** jqwik runs no JUnit extensions: the same skip-or-fail-in-CI rule as {@link PostgresSchema}, as a jqwik hook. */
    static final class NeedsServer implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            String problem = PostgresSchema.reachable();
            if (problem == null) {
                return SkipResult.doNotSkip();
            }
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("CI must run the PostgreSQL tests, but " + problem);
            }
            return SkipResult.skip("skipping the PostgreSQL half: " + problem);
        }
    }
}

class PostgresExactTextTest extends ExactTextTest {
    @RegisterExtension
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @Override
    String location() {
        return SCHEMA.url();
    }
}

@AddLifecycleHook(PostgresRebuildEqualsIncrementalProperty.NeedsServer.class)
class PostgresExactTextProperty extends ExactTextProperty {
    @Override
    String freshStore() throws Exception {
        return PostgresSchema.urlOf(PostgresSchema.createSchema());
    }
}
