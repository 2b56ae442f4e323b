// The real commitlint, in one process for a whole corpus: gitvoice's differential tests
// (tests/composition/test_commitlint_differential.py) send every case at once instead of spawning the CLI per message.
//
// stdin:  {"rulesets": {"name": rules-object | null}, "cases": [{"message", "mode", "ruleset"}],
//          "cases_for_to_case": [{"text", "case"}]}
//   a ruleset of null is `extends: ['@commitlint/config-conventional']` as @commitlint/load resolves it;
//   another is that, with its `rules` replaced by the given object (the parser preset stays conventionalcommits).
//   mode "stdin" lints the message as `commitlint` reading stdin does; "edit" as `commitlint --edit FILE` does
//   for a file holding the message (@commitlint/read appends "\n"; the CLI sets parserOpts.commentChar "#").
// stdout: {"conventional_rules": {...}, "results": [{"valid", "errors": [[name, message]], "warnings": [...]}],
//          "to_case": [string | {"error": message}]}
import load from "@commitlint/load";
import lint from "@commitlint/lint";
import { toCase } from "@commitlint/ensure";

const here = new URL(".", import.meta.url).pathname;

async function readStdin() {
	let text = "";
	process.stdin.setEncoding("utf8");
	for await (const chunk of process.stdin) text += chunk;
	return JSON.parse(text);
}

function options(loaded, mode) {
	// cli.ts: parserOpts from the loaded parser preset, the config's ignores, default ignores on.
	const parserOpts = { ...(loaded.parserPreset?.parserOpts ?? {}) };
	if (mode === "edit") parserOpts.commentChar = "#";
	return { parserOpts, plugins: loaded.plugins ?? {}, ignores: loaded.ignores ?? [], defaultIgnores: true };
}

function problems(list) {
	return list.map((p) => [p.name, p.message]);
}

const input = await readStdin();
const loaded = await load({ extends: ["@commitlint/config-conventional"] }, { cwd: here });
const results = [];
for (const c of input.cases ?? []) {
	const rules = input.rulesets[c.ruleset] ?? loaded.rules;
	const message = c.mode === "edit" ? `${c.message}\n` : c.message;
	try {
		const r = await lint(message, rules, options(loaded, c.mode));
		results.push({ valid: r.valid, errors: problems(r.errors), warnings: problems(r.warnings) });
	} catch (error) {
		results.push({ error: String(error) });
	}
}
const cases = (input.cases_for_to_case ?? []).map(({ text, case: target }) => {
	try {
		return toCase(text, target);
	} catch (error) {
		return { error: String(error) };
	}
});
process.stdout.write(JSON.stringify({ conventional_rules: loaded.rules, results, to_case: cases }));
