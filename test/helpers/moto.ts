// A client of the throwaway S3 stand-in (scripts/moto-server.mjs) for tests: path-style,
// with the test credentials moto takes, and the test's bucket made.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import type { MotoServer } from "../../scripts/moto-server.mjs";

/** The client; `bucket` exists once it resolves. Destroy it when done. */
export async function motoClient(moto: MotoServer, bucket: string): Promise<S3Client> {
  const client = new S3Client({
    endpoint: moto.endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return client;
}
