/** Thrown at a checkpoint when a running task must stop before its end. */
export class TaskStopped extends Error {
  override readonly name = 'TaskStopped';
  constructor(
    message: string,
    /** 'cancel': the task ends CANCELLED; 'handback': it goes back to the queue for another worker. */
    readonly outcome: 'cancel' | 'handback',
  ) {
    super(message);
  }
}
