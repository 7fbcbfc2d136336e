// Prints the project id of the repository at argv[2] (or nothing). Debug mode runs it in a
// child, synchronously, so the line it prints carries the id the uploader would send; it
// writes no cache, as debug mode writes nothing.
import { resolveProjectId } from "./project-id.js";

const projectId = await resolveProjectId(process.argv[2] ?? "");
if (projectId !== null) process.stdout.write(projectId);
