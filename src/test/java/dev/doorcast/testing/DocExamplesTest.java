package dev.doorcast.testing;

import java.util.List;
import java.util.Map;

import dev.doorcast.testing.DocExamples.Example;
import dev.doorcast.testing.DocExamples.Rule;
import dev.doorcast.testing.DocExamples.Server;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocExamplesTest {

    private static final List<String> PAGE = """
            # A page

            ## How the examples were made

            ```bash
            export TOKEN=secret-token-0123456789
            # plain: the server as it comes
            ./mvnw -q spring-boot:run -Dspring-boot.run.arguments="--a=$TOKEN"
            # quiet: fewer things
            ./mvnw -q spring-boot:run -Dspring-boot.run.arguments="--a=${TOKEN} --b=false"
            ```

            ## Endpoints

            ```console
            $ echo one
            one
            $ printf "a\\n" \\
              && echo two
            a
            two
            ```

            - In a list:

              ```console server=quiet
              $ echo three
              three
              ```

            ```
            not an example
            $ echo never
            ```
            """.lines().toList();

    @Test
    void findsEveryCommandWithItsOutputServerAndPlace() {
        List<Example> examples = DocExamples.examples(PAGE);

        assertThat(examples).extracting(Example::command)
                .containsExactly("echo one", "printf \"a\\n\" \\\n  && echo two", "echo three");
        assertThat(examples).extracting(Example::output).containsExactly("one", "a\ntwo", "three");
        assertThat(examples).extracting(Example::server).containsExactly("default", "default", "quiet");
        assertThat(examples.get(2).line()).isEqualTo(PAGE.indexOf("  $ echo three") + 1);
        assertThat(examples.get(2).indent()).isEqualTo("  ");
        assertThat(PAGE.subList(examples.get(1).outputStart(), examples.get(1).outputEnd()))
                .containsExactly("a", "two");
    }

    @Test
    void aHereDocumentsLinesArePartOfItsCommand() {
        List<String> page = """
                ```console
                $ cat > notes.txt <<'EOF'
                hello

                $ not a command: a line of the file
                EOF
                $ head -1 notes.txt
                hello
                ```
                """.lines().toList();

        List<Example> examples = DocExamples.examples(page);

        assertThat(examples).extracting(Example::command).containsExactly(
                "cat > notes.txt <<'EOF'\nhello\n\n$ not a command: a line of the file\nEOF", "head -1 notes.txt");
        assertThat(examples).extracting(Example::output).containsExactly("", "hello");
    }

    @Test
    void readsTheServersAndTheVariablesTheirCommandsUse() {
        assertThat(DocExamples.exports(PAGE, "## How the examples were made"))
                .containsExactly(Map.entry("TOKEN", "secret-token-0123456789"));
        assertThat(DocExamples.servers(PAGE, "## How the examples were made")).containsExactly(
                new Server("plain", "./mvnw -q spring-boot:run -Dspring-boot.run.arguments=\"--a=$TOKEN\"",
                        List.of("--a=secret-token-0123456789")),
                new Server("quiet", "./mvnw -q spring-boot:run -Dspring-boot.run.arguments=\"--a=${TOKEN} --b=false\"",
                        List.of("--a=secret-token-0123456789", "--b=false")));
    }

    @Test
    void refusesAServerCommandWithAVariableNeverExported() {
        List<String> page = List.of("## Setup", "# plain: x",
                "./mvnw spring-boot:run -Dspring-boot.run.arguments=\"--a=$NOPE\"");

        assertThatThrownBy(() -> DocExamples.servers(page, "## Setup")).hasMessageContaining("$NOPE");
    }

    @Test
    void comparesAfterTheRulesAndTerminalLineEnds() {
        List<Rule> rules = List.of(new Rule("times", "\\d\\d:\\d\\d", "<time>"));

        String expected = DocExamples.normalise("at 10:15\nHTTP/1.1 200 ", rules);
        assertThat(DocExamples.matches(expected, DocExamples.normalise("at 23:59\r\nHTTP/1.1 200\r\n\n", rules)))
                .isTrue();
        assertThat(DocExamples.matches(expected, DocExamples.normalise("at 23:59\nHTTP/1.1 404", rules)))
                .isFalse();
    }

    @Test
    void anEllipsisStandsForLinesOnItsOwnAndForTextWithinALine() {
        assertThat(DocExamples.matches("HTTP/1.1 401\n…\n{\"detail\":…}",
                "HTTP/1.1 401\nA: 1\nB: 2\n{\"detail\":\"x\"}")).isTrue();
        assertThat(DocExamples.matches("HTTP/1.1 401\n…\nEnd", "HTTP/1.1 401\nEnd")).isTrue();
        assertThat(DocExamples.matches("HTTP/1.1 401\n…\nEnd", "HTTP/1.1 401\nA: 1")).isFalse();
        assertThat(DocExamples.matches("a…c", "abc\nd")).isFalse();
    }
}
