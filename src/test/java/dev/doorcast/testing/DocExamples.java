package dev.doorcast.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable examples of a Markdown page, and how their output is compared, as in Python's doctest: a
 * fenced block whose first line starts with {@code $ } holds commands, each followed by the output it
 * printed. A command goes on over the next lines while a line ends with a backslash, as in the shell, and
 * over a here-document's lines ({@code <<'EOF'} to the line {@code EOF}), so that a file a reader writes with
 * {@code cat > name <<'EOF'} is part of the page as they copy it.
 * The fence's info string may name the server the block runs against ({@code ```console server=quiet});
 * without one it is {@value #DEFAULT_SERVER}.
 *
 * <p>Outputs are compared after {@link #normalise normalising} both sides, and {@code …} in the page's
 * output stands for left-out text: on a line of its own, any number of lines; within a line, any text.
 */
public final class DocExamples {

    public static final String DEFAULT_SERVER = "default";

    private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})(.*)$");
    private static final Pattern SERVER = Pattern.compile("(?:^|\\s)server=(\\S+)");
    private static final String ELLIPSIS = "…";
    /** A here-document's start in a command, {@code <<'EOF'} or {@code <<EOF}: its lines are the command's. */
    private static final Pattern HEREDOC = Pattern.compile("<<(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\\1");

    /** One command of a page, where it is, the server it needs and the output the page shows for it. */
    public record Example(int line, String server, String command, String output, int outputStart, int outputEnd,
            String indent) {
    }

    /** A way the page says to start a server: its name, the command as written and the application's arguments. */
    public record Server(String name, String command, List<String> arguments) {
    }

    /** What legitimately differs from run to run, replaced by a placeholder in expected and actual alike. */
    public record Rule(String what, Pattern pattern, String replacement) {
        public Rule(String what, String regex, String replacement) {
            this(what, Pattern.compile(regex, Pattern.MULTILINE), replacement);
        }
    }

    private DocExamples() {
    }

    /** Every example of the page, in the page's order. Output lines are 0-based indexes into the page's lines. */
    public static List<Example> examples(List<String> page) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            Matcher open = FENCE.matcher(page.get(i));
            if (!open.matches()) {
                continue;
            }
            String indent = open.group(1);
            String fence = open.group(2);
            int end = i + 1;
            while (end < page.size() && !closes(page.get(end), fence)) {
                end++;
            }
            List<String> body = new ArrayList<>();
            for (int j = i + 1; j < end; j++) {
                String line = page.get(j);
                body.add(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading());
            }
            if (!body.isEmpty() && body.getFirst().startsWith("$ ")) {
                Matcher server = SERVER.matcher(open.group(3));
                examples.addAll(commands(body, i + 1, server.find() ? server.group(1) : DEFAULT_SERVER, indent));
            }
            i = end;
        }
        return examples;
    }

    private static boolean closes(String line, String fence) {
        String trimmed = line.strip();
        return trimmed.startsWith(fence) && trimmed.chars().allMatch(c -> c == fence.charAt(0));
    }

    private static List<Example> commands(List<String> body, int firstLine, String server, String indent) {
        List<Example> examples = new ArrayList<>();
        int j = 0;
        while (j < body.size()) {
            int line = firstLine + j;
            StringBuilder command = new StringBuilder(body.get(j).substring(2));
            while (command.toString().endsWith("\\") && j + 1 < body.size()) {
                command.append('\n').append(body.get(++j));
            }
            Matcher heredoc = HEREDOC.matcher(command);
            if (heredoc.find()) {
                String delimiter = heredoc.group(2);
                while (j + 1 < body.size()) {
                    String next = body.get(++j);
                    command.append('\n').append(next);
                    if (next.equals(delimiter)) {
                        break;
                    }
                }
            }
            j++;
            int outputStart = firstLine + j;
            List<String> output = new ArrayList<>();
            while (j < body.size() && !body.get(j).startsWith("$ ")) {
                output.add(body.get(j++));
            }
            examples.add(new Example(line + 1, server, command.toString(), String.join("\n", output), outputStart,
                    firstLine + j, indent));
        }
        return examples;
    }

    /**
     * The servers a page says to start: in its section {@code heading}, a block of {@code export NAME=value}
     * lines and, for each server, a comment line {@code # name: what it is} followed by the
     * {@code ./mvnw spring-boot:run -Dspring-boot.run.arguments="..."} that starts it, with the exported
     * variables put in.
     */
    public static List<Server> servers(List<String> page, String heading) {
        Map<String, String> variables = exports(page, heading);
        List<Server> servers = new ArrayList<>();
        Pattern name = Pattern.compile("^#\\s*([a-z][a-z0-9-]*):");
        Pattern run = Pattern.compile("spring-boot:run\\s.*-Dspring-boot\\.run\\.arguments=\"([^\"]*)\"");
        String pending = null;
        for (String line : section(page, heading)) {
            Matcher named = name.matcher(line.strip());
            Matcher started = run.matcher(line);
            if (named.find()) {
                pending = named.group(1);
            } else if (started.find() && pending != null) {
                List<String> arguments = new ArrayList<>();
                for (String argument : expand(started.group(1), variables).strip().split("\\s+")) {
                    arguments.add(argument);
                }
                servers.add(new Server(pending, line.strip(), List.copyOf(arguments)));
                pending = null;
            }
        }
        return servers;
    }

    /** The variables the page's {@code export NAME=value ...} lines in section {@code heading} set. */
    public static Map<String, String> exports(List<String> page, String heading) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : section(page, heading)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("export ")) {
                for (String assignment : trimmed.substring("export ".length()).strip().split("\\s+")) {
                    int eq = assignment.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("not NAME=value: " + assignment + " in " + line);
                    }
                    variables.put(assignment.substring(0, eq), assignment.substring(eq + 1));
                }
            }
        }
        return variables;
    }

    private static List<String> section(List<String> page, String heading) {
        int start = page.indexOf(heading);
        if (start < 0) {
            throw new IllegalArgumentException("no heading '" + heading + "'");
        }
        int end = start + 1;
        while (end < page.size() && !page.get(end).startsWith("## ")) {
            end++;
        }
        return page.subList(start + 1, end);
    }

    private static String expand(String text, Map<String, String> variables) {
        Matcher reference = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (reference.find()) {
            String value = variables.get(reference.group(1));
            if (value == null) {
                throw new IllegalArgumentException("$" + reference.group(1) + " is not exported in: " + text);
            }
            reference.appendReplacement(expanded, Matcher.quoteReplacement(value));
        }
        return reference.appendTail(expanded).toString();
    }

    /** Line ends and trailing blanks as a terminal shows them, then every rule applied in turn. */
    public static String normalise(String text, List<Rule> rules) {
        String normalised = text.replace("\r\n", "\n").replaceAll("(?m)[ \\t\\r]+$", "").replaceAll("\\n+$", "");
        for (Rule rule : rules) {
            normalised = rule.pattern().matcher(normalised).replaceAll(rule.replacement());
        }
        return normalised;
    }

    /** Whether {@code actual} is what {@code expected} shows, both already normalised, {@code …} as above. */
    public static boolean matches(String expected, String actual) {
        StringBuilder regex = new StringBuilder();
        for (String line : expected.split("\n", -1)) {
            if (line.strip().equals(ELLIPSIS)) {
                regex.append("(?:[^\\n]*\\n)*?");
                continue;
            }
            String[] pieces = line.split(ELLIPSIS, -1);
            for (int k = 0; k < pieces.length; k++) {
                if (k > 0) {
                    regex.append("[^\\n]*");
                }
                regex.append(Pattern.quote(pieces[k]));
            }
            regex.append("\\n");
        }
        return Pattern.compile(regex.toString()).matcher(actual + "\n").matches();
    }
}
