// W4 breakdown: the emptiest pool process (an ESM child that only says it is ready).
process.send('ready');
