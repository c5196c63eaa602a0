import { createDemoLibrary } from '../services/demo-library.service';
import { createProgressLine } from './progress';
import { runCli } from './run-cli';

await runCli(async ({ env, db }) => {
  const progress = createProgressLine();
  const result = await createDemoLibrary(db, {
    ...env,
    onProgress: (line) => progress.update(line),
  });
  progress.done();
  console.log(
    `Demo library ${result.generated ? 'rendered and ' : ''}imported: ${result.added} new items, ${result.depthMaps} ground-truth depth maps recorded.`,
  );
});
