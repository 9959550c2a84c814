/** The run report (report.html): renderReport and the helper that builds its test example from a WAV. */
export { renderReport, type ReportInput, type ReportExample, type DbSpectrogram } from './render';
export { buildReportExample, REPORT_SPECTROGRAM_BINS, type ExampleInput } from './example';
