import type { FileResult, LineOutcome } from './types.js';

interface Case {
  name: string;
  timeS: number;
  failure?: { message: string; body: string };
  error?: { type: string; message: string; body: string };
}

/**
 * JUnit XML: a <testsuite> per file (named by its path), a <testcase> per assertion named
 * `line N: <source>`, and a <testcase> with an <error> for a command that failed on a line that
 * asserted nothing. A line with several assertions names each case after its assertion too.
 */
export function toJUnitXml(results: readonly FileResult[]): string {
  const suites = results.map((result) => ({ result, cases: result.lines.flatMap(toCases) }));
  const count = (cases: Case[], key: 'failure' | 'error') => cases.filter((c) => c[key]).length;
  const all = suites.flatMap((suite) => suite.cases);
  const totalS = results.reduce((sum, result) => sum + result.summary.durationMs / 1000, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="quartet run" tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}" time="${seconds(totalS)}">`,
  ];
  for (const { result, cases } of suites) {
    const file = escapeXml(result.file);
    lines.push(
      `  <testsuite name="${file}" tests="${cases.length}" failures="${count(cases, 'failure')}" errors="${count(cases, 'error')}" skipped="0" time="${seconds(result.summary.durationMs / 1000)}">`,
    );
    for (const testCase of cases) {
      const open = `    <testcase classname="${file}" name="${escapeXml(testCase.name)}" time="${seconds(testCase.timeS)}"`;
      if (testCase.failure !== undefined) {
        lines.push(
          `${open}>`,
          `      <failure message="${escapeXml(testCase.failure.message)}" type="ASSERTION_FAILED">${escapeText(testCase.failure.body)}</failure>`,
          '    </testcase>',
        );
      } else if (testCase.error !== undefined) {
        lines.push(
          `${open}>`,
          `      <error message="${escapeXml(testCase.error.message)}" type="${escapeXml(testCase.error.type)}">${escapeText(testCase.error.body)}</error>`,
          '    </testcase>',
        );
      } else {
        lines.push(`${open}/>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function toCases(outcome: LineOutcome): Case[] {
  const { parsed, record, file } = outcome;
  const name = `line ${parsed.line}: ${parsed.source.trim()}`;
  const where = `${file}:${parsed.line}: ${parsed.source.trim()}`;
  const timeS = record.latencyMs / 1000;
  const several = outcome.assertions.length > 1;
  const cases: Case[] = outcome.assertions.map((assertion) => {
    const testCase: Case = { name: several ? `${name} [${assertion.text}]` : name, timeS };
    if (!assertion.ok) {
      const why = `\`${assertion.text}\` did not hold: ${assertion.message ?? 'failed'}`;
      testCase.failure = {
        message: `line ${parsed.line}: ${parsed.source.trim()}: ${why}`,
        body: `${where}\n${why}`,
      };
    }
    return testCase;
  });
  if (outcome.unexpectedError !== undefined) {
    const { code, message } = outcome.unexpectedError;
    const why = `the command failed with ${code}: ${message}`;
    cases.push({
      name,
      timeS,
      error: {
        type: code,
        message: `line ${parsed.line}: ${parsed.source.trim()}: ${why}`,
        body: `${where}\n${why}`,
      },
    });
  }
  return cases;
}

function seconds(value: number): string {
  return value.toFixed(3);
}

/** Escapes text for an XML attribute; drops characters XML 1.0 cannot hold. */
export function escapeXml(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;');
}

/** Escapes text for an XML element's content; drops characters XML 1.0 cannot hold. */
export function escapeText(text: string): string {
  return text
    .replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
