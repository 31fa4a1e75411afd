package io.graytorrent.control.internal.command;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Job;
import org.apache.felix.gogo.runtime.CommandNotFoundException;

/**
 * Runs one {@code bt} command in a fresh Gogo session. The arguments are handed over as session
 * variables, never spliced into a command line, so no argument can be parsed as shell syntax.
 */
public final class CommandRunner {
    /** Session variable telling commands whether the client's output is a terminal. */
    static final String TTY_VARIABLE = "gray.tty";
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /** As a shell reports a command ended by SIGINT. */
    static final int EXIT_INTERRUPTED = 130;

    private static final Pattern COMMAND_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final String SCOPE = "bt:";

    private final CommandProcessor processor;

    public CommandRunner(CommandProcessor processor) {
        this.processor = processor;
    }

    void run(CommandRequest request, CommandOutput output) {
        String name = request.args().get(0);
        if (!COMMAND_NAME.matcher(name).matches()) {
            output.err("error: not a command name: " + name + "\n");
            output.exit(EXIT_USAGE);
            return;
        }
        OutputStreamAdapter out = new OutputStreamAdapter(output::out);
        OutputStreamAdapter err = new OutputStreamAdapter(output::err);
        int exit;
        CommandSession session = processor.createSession(InputStream.nullInputStream(), out, err);
        try {
            session.currentDir(Path.of(request.cwd()));
            session.put(TTY_VARIABLE, request.tty());
            Object result = session.execute(commandLine(name, request.args(), session));
            if (result != null) {
                PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
                print.println(session.format(result, Converter.INSPECT));
            }
            exit = EXIT_OK;
        } catch (InterruptedException e) {
            // the caller was interrupted (its client hung up); the command runs on Gogo's own
            // job thread, which only an explicit interrupt of the job reaches
            session.jobs().forEach(Job::interrupt);
            exit = EXIT_INTERRUPTED;
        } catch (CommandNotFoundException e) {
            out.flush();
            output.err("error: unknown command: " + name + "\n");
            exit = EXIT_USAGE;
        } catch (Exception e) {
            out.flush();
            output.err("error: " + describe(e) + "\n");
            exit = EXIT_FAILED;
        } finally {
            session.close();
        }
        out.flush();
        err.flush();
        output.exit(exit);
    }

    private static String commandLine(String name, List<String> args, CommandSession session) {
        StringBuilder line = new StringBuilder(SCOPE).append(name);
        for (int i = 1; i < args.size(); i++) {
            String variable = "gray_arg" + i;
            session.put(variable, args.get(i));
            line.append(" $").append(variable);
        }
        return line.toString();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
