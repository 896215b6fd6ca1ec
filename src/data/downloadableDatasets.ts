/**
 * The datasets `alsrec download` knows, as plain data: the command lists them in its help without
 * loading the downloader (downloadMovieLens.ts re-exports them).
 */

/** Datasets `alsrec download` knows, with their official URL and the checksums of the files read. */
export const DOWNLOADABLE_DATASETS = {
  'ml-100k': {
    url: 'https://files.grouplens.org/datasets/movielens/ml-100k.zip',
    sha256: {
      'u.data': '06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490',
      'u.item': '553841ebc7de3a0fd0d6b62a204ea30c1e651aacfb2814c7a6584ac52f2c5701',
    } as Readonly<Record<string, string>>,
  },
} as const;

export type DownloadableDataset = keyof typeof DOWNLOADABLE_DATASETS;
